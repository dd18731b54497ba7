import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { defaultBinaryPaths, defaultFontPath, MediaToolkit } from './media-toolkit';

/** ffmpeg and ffprobe from FFMPEG_PATH / FFPROBE_PATH, or the binaries the npm packages ship. */
@Global()
@Module({
  providers: [
    {
      provide: MediaToolkit,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const shipped = defaultBinaryPaths();
        return new MediaToolkit({
          ffmpegPath: config.media.ffmpegPath ?? shipped.ffmpegPath,
          ffprobePath: config.media.ffprobePath ?? shipped.ffprobePath,
          defaultTimeoutMs: config.media.timeoutMs,
          fontPath: defaultFontPath(),
        });
      },
    },
  ],
  exports: [MediaToolkit],
})
export class MediaToolkitModule {}
