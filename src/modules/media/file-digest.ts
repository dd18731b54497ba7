import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { SNIFF_BYTES } from './media-type';

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
    if (head.length < SNIFF_BYTES) head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]);
  }
  return { sizeBytes, sha256: hash.digest('hex'), head };
}
