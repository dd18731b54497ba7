export type MediaCategory = 'video' | 'audio' | 'image';

export interface DetectedType {
  mimeType: string;
  category: MediaCategory;
  extension: string;
}

/** How many leading bytes detection needs. */
export const SNIFF_BYTES = 64;

const ascii = (bytes: Buffer, offset: number, text: string): boolean =>
  bytes.length >= offset + text.length &&
  bytes.toString('latin1', offset, offset + text.length) === text;

const startsWith = (bytes: Buffer, signature: number[]): boolean =>
  signature.every((byte, i) => bytes[i] === byte);

/** ISO base media (MP4, MOV, M4A): `ftyp` at offset 4, the brand says what it holds. */
function isoMedia(bytes: Buffer): DetectedType | null {
  if (!ascii(bytes, 4, 'ftyp')) return null;
  const brand = bytes.toString('latin1', 8, 12);
  if (brand === 'M4A ' || brand === 'M4B ')
    return { mimeType: 'audio/mp4', category: 'audio', extension: 'm4a' };
  if (brand === 'qt  ') return { mimeType: 'video/quicktime', category: 'video', extension: 'mov' };
  if (brand.startsWith('3g'))
    return { mimeType: 'video/3gpp', category: 'video', extension: '3gp' };
  return { mimeType: 'video/mp4', category: 'video', extension: 'mp4' };
}

/** RIFF containers: WAVE, AVI and WEBP. */
function riff(bytes: Buffer): DetectedType | null {
  if (!ascii(bytes, 0, 'RIFF')) return null;
  if (ascii(bytes, 8, 'WAVE'))
    return { mimeType: 'audio/wav', category: 'audio', extension: 'wav' };
  if (ascii(bytes, 8, 'AVI '))
    return { mimeType: 'video/x-msvideo', category: 'video', extension: 'avi' };
  if (ascii(bytes, 8, 'WEBP'))
    return { mimeType: 'image/webp', category: 'image', extension: 'webp' };
  return null;
}

/** EBML (Matroska and WebM): the DocType string sits in the first bytes of the header. */
function ebml(bytes: Buffer): DetectedType | null {
  if (!startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return null;
  return bytes.includes('webm', 0, 'latin1')
    ? { mimeType: 'video/webm', category: 'video', extension: 'webm' }
    : { mimeType: 'video/x-matroska', category: 'video', extension: 'mkv' };
}

/** An MPEG audio frame header: 11 sync bits, layer III. */
const isMp3Frame = (bytes: Buffer): boolean =>
  bytes.length >= 2 &&
  bytes[0] === 0xff &&
  (bytes[1] & 0xe0) === 0xe0 &&
  (bytes[1] & 0x06) === 0x02;

/**
 * Decides what a file is from its first bytes, never from its name or the Content-Type the
 * client claimed. Only the video, audio and image formats Kiln accepts are recognised.
 */
export function detectMediaType(head: Buffer): DetectedType | null {
  const found = isoMedia(head) ?? riff(head) ?? ebml(head);
  if (found) return found;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { mimeType: 'image/png', category: 'image', extension: 'png' };
  }
  if (startsWith(head, [0xff, 0xd8, 0xff]))
    return { mimeType: 'image/jpeg', category: 'image', extension: 'jpg' };
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) {
    return { mimeType: 'image/gif', category: 'image', extension: 'gif' };
  }
  if (ascii(head, 0, 'ID3') || isMp3Frame(head))
    return { mimeType: 'audio/mpeg', category: 'audio', extension: 'mp3' };
  if (ascii(head, 0, 'OggS')) return { mimeType: 'audio/ogg', category: 'audio', extension: 'ogg' };
  if (ascii(head, 0, 'fLaC'))
    return { mimeType: 'audio/flac', category: 'audio', extension: 'flac' };
  return null;
}
