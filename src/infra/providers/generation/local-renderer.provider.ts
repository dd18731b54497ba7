import { Injectable } from '@nestjs/common';
import { MediaToolkit, RunOptions } from '../../media-toolkit/media-toolkit';
import { GenerationProvider, GenerationRequest } from './generation-provider';

/**
 * The built-in provider: not a model. ffmpeg draws an animated scene with the prompt as text,
 * at the asked resolution, quality and duration, so the whole pipeline works offline.
 */
@Injectable()
export class LocalRendererProvider extends GenerationProvider {
  readonly name = 'local-renderer';

  constructor(private readonly toolkit: MediaToolkit) {
    super();
  }

  generate(request: GenerationRequest, outputPath: string, options: RunOptions): Promise<void> {
    const { prompt, resolution, quality, durationSec } = request;
    return this.toolkit.renderScene(
      outputPath,
      { prompt, resolution, quality, durationSec },
      options,
    );
  }
}
