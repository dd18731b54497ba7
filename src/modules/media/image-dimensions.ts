export interface Dimensions {
  width: number;
  height: number;
}

const JPEG_START_OF_FRAME = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

/** Walks the marker segments up to the first start-of-frame, which holds the frame size. */
function jpegDimensions(head: Buffer): Dimensions | undefined {
  let offset = 2;
  while (offset + 9 <= head.length) {
    if (head[offset] !== 0xff) return undefined;
    const marker = head[offset + 1];
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (JPEG_START_OF_FRAME.has(marker)) {
      return { height: head.readUInt16BE(offset + 5), width: head.readUInt16BE(offset + 7) };
    }
    offset += 2 + head.readUInt16BE(offset + 2);
  }
  return undefined;
}

function pngDimensions(head: Buffer): Dimensions | undefined {
  if (head.length < 24 || head.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

/** The three WebP flavours keep their size in different places (RFC 9649). */
function webpDimensions(head: Buffer): Dimensions | undefined {
  if (head.length < 30) return undefined;
  switch (head.toString('latin1', 12, 16)) {
    case 'VP8 ':
      if (head[23] !== 0x9d || head[24] !== 0x01 || head[25] !== 0x2a) return undefined;
      return { width: head.readUInt16LE(26) & 0x3fff, height: head.readUInt16LE(28) & 0x3fff };
    case 'VP8L': {
      if (head[20] !== 0x2f) return undefined;
      const bits = head.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X':
      return { width: head.readUIntLE(24, 3) + 1, height: head.readUIntLE(27, 3) + 1 };
    default:
      return undefined;
  }
}

/**
 * The pixel size of a JPEG, PNG or WebP image from its first bytes, or undefined when the
 * header is not there or not understood (the caller then asks ffprobe). It spares a process
 * per thumbnail.
 */
export function imageDimensions(mimeType: string, head: Buffer): Dimensions | undefined {
  switch (mimeType) {
    case 'image/jpeg':
      return jpegDimensions(head);
    case 'image/png':
      return pngDimensions(head);
    case 'image/webp':
      return webpDimensions(head);
    default:
      return undefined;
  }
}
