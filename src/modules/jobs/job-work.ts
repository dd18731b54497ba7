import { join } from 'node:path';
import { KnownVideo, MediaToolkit, RunOptions } from '../../infra/media-toolkit/media-toolkit';
import { GenerationProvider } from '../../infra/providers/generation/generation-provider';
import { Job } from './entities/job.entity';
import {
  AudioExtractParams,
  GenerateParams,
  MontageParams,
  ThumbnailParams,
  TranscodeParams,
} from './job-params';
import { JobType } from './job-types';

export interface JobInput {
  path: string;
  /** Set when the media row already says it is a video (and how long), so it is not probed. */
  knownVideo?: KnownVideo;
}

export interface ProducedFile {
  path: string;
  filename: string;
}

/** What one job type does with its inputs: ffmpeg through the toolkit, one output file. */
export async function performJob(
  job: Job,
  inputs: JobInput[],
  workDir: string,
  tools: { toolkit: MediaToolkit; generation: GenerationProvider },
  options: RunOptions,
): Promise<ProducedFile[]> {
  const output = (extension: string): ProducedFile => ({
    path: join(workDir, `output.${extension}`),
    filename: `${job.type}-${job.id.slice(0, 8)}.${extension}`,
  });
  switch (job.type) {
    case JobType.Transcode: {
      const params = job.params as TranscodeParams;
      const file = output(params.format);
      const known = { knownVideo: inputs[0].knownVideo };
      await tools.toolkit.transcode(inputs[0].path, file.path, params, { ...options, ...known });
      return [file];
    }
    case JobType.Thumbnail: {
      const params = job.params as ThumbnailParams;
      const file = output(params.format === 'jpeg' ? 'jpg' : 'webp');
      const known = { knownVideo: inputs[0].knownVideo };
      await tools.toolkit.thumbnail(inputs[0].path, file.path, params, { ...options, ...known });
      return [file];
    }
    case JobType.Montage: {
      const file = output('mp4');
      const paths = inputs.map((input) => input.path);
      await tools.toolkit.montage(paths, file.path, job.params as MontageParams, options);
      return [file];
    }
    case JobType.AudioExtract: {
      const params = job.params as AudioExtractParams;
      const file = output(params.format);
      await tools.toolkit.extractAudio(inputs[0].path, file.path, params, options);
      return [file];
    }
    case JobType.Generate: {
      const file = output('mp4');
      await tools.generation.generate(job.params as GenerateParams, file.path, options);
      return [file];
    }
  }
}
