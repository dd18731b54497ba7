import { detectMediaType } from './media-type';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))),
  );

describe('detectMediaType', () => {
  it.each([
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom', [0, 0, 2, 0]), 'video/mp4'],
    ['mov', bytes([0, 0, 0, 0x14], 'ftypqt  '), 'video/quicktime'],
    ['m4a', bytes([0, 0, 0, 0x20], 'ftypM4A '), 'audio/mp4'],
    [
      'webm',
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01], 'B\x82\x84webm'),
      'video/webm',
    ],
    [
      'mkv',
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86], 'B\x82\x88matroska'),
      'video/x-matroska',
    ],
    ['avi', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST'), 'video/x-msvideo'],
    ['wav', bytes('RIFF', [0, 0, 0, 0], 'WAVEfmt '), 'audio/wav'],
    ['webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['gif', bytes('GIF89a'), 'image/gif'],
    ['mp3 with ID3', bytes('ID3', [4, 0]), 'audio/mpeg'],
    ['mp3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['ogg', bytes('OggS', [0]), 'audio/ogg'],
    ['flac', bytes('fLaC'), 'audio/flac'],
  ])('recognises %s', (_name, head, mimeType) => {
    expect(detectMediaType(head)?.mimeType).toBe(mimeType);
  });

  it.each([
    ['a PDF', bytes('%PDF-1.7')],
    ['an executable', bytes([0x7f], 'ELF')],
    ['a zip', bytes('PK', [3, 4])],
    ['HTML', bytes('<!doctype html>')],
    ['an unknown RIFF', bytes('RIFF', [0, 0, 0, 0], 'CDXA')],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', (_name, head) => {
    expect(detectMediaType(head)).toBeNull();
  });
});
