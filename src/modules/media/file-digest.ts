import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Enough for type detection and for the size fields of image headers (JPEG's come after its tables). */
const HEAD_BYTES = 4096;

export interface FileDigest {
  sizeBytes: number;
  sha256: string;
  head: Buffer;
}

/** Size, SHA-256 and first bytes of a file on disk (a job's output), read as a stream. */
export async function digestFile(path: string): Promise<FileDigest> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
    if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES)]);
  }
  return { sizeBytes, sha256: hash.digest('hex'), head };
}
