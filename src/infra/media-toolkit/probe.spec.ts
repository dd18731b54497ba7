import {
  sampleAudio,
  sampleCorruptVideo,
  sampleImage,
  sampleVideo,
} from '../../../test/support/media-samples';
import { defaultBinaryPaths } from './default-paths';
import { MediaProcessError } from './errors';
import { parseProbeOutput, probeMedia } from './probe';

const { ffprobePath } = defaultBinaryPaths();
const probe = (path: string) => probeMedia(ffprobePath, path, { timeoutMs: 10_000 });

describe('probeMedia', () => {
  it('describes a video with sound', async () => {
    const result = await probe(await sampleVideo());
    expect(result).toMatchObject({
      width: 320,
      height: 240,
      hasVideo: true,
      hasAudio: true,
      videoCodec: 'h264',
      audioCodec: 'aac',
    });
    expect(result.formatName).toContain('mp4');
    expect(result.durationSec).toBeCloseTo(2, 1);
  });

  it.each([
    ['mp3', 'mp3'],
    ['wav', 'pcm_s16le'],
  ] as const)('describes %s audio as audio only', async (format, codec) => {
    const result = await probe(await sampleAudio(format));
    expect(result).toMatchObject({ hasVideo: false, hasAudio: true, audioCodec: codec });
    expect(result.durationSec).toBeCloseTo(2, 1);
  });

  it.each([
    ['png', 'png'],
    ['jpeg', 'mjpeg'],
  ] as const)('describes a %s image as one picture without duration', async (format, codec) => {
    const result = await probe(await sampleImage(format));
    expect(result).toMatchObject({
      width: 160,
      height: 120,
      hasVideo: true,
      hasAudio: false,
      videoCodec: codec,
    });
    expect(result.durationSec).toBeUndefined();
  });

  it('rejects a file that is not media with a message free of server paths', async () => {
    const path = await sampleCorruptVideo();
    const error = (await probe(path).catch((e: unknown) => e)) as MediaProcessError;
    expect(error).toBeInstanceOf(MediaProcessError);
    expect(error.message).toMatch(/^ffprobe failed \(exit code 1\): corrupt\.mp4: Invalid data/);
    expect(error.message).not.toContain('/');
    expect(error.stderrTail).not.toContain(path);
  });
});

describe('parseProbeOutput', () => {
  it('does not count cover art as video', () => {
    const json = JSON.stringify({
      format: { format_name: 'mp3', duration: '3.5' },
      streams: [
        { codec_type: 'audio', codec_name: 'mp3' },
        { codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } },
      ],
    });
    expect(parseProbeOutput(json)).toEqual({
      formatName: 'mp3',
      durationSec: 3.5,
      hasVideo: false,
      hasAudio: true,
      audioCodec: 'mp3',
    });
  });

  it('rejects output that is not JSON', () => {
    expect(() => parseProbeOutput('oops')).toThrow(MediaProcessError);
  });
});
