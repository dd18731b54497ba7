import type {} from '@fastify/multipart';
import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ValidationProblemException } from '../../common/problem/problem.exception';
import { SNIFF_BYTES } from './media-type';

export interface ReceivedUpload {
  tempPath: string;
  filename: string;
  sizeBytes: number;
  sha256: string;
  /** The first bytes, to tell the type from. */
  head: Buffer;
  fields: Record<string, string>;
}

/** A client's file name, shown back to people only: no directories, no control characters. */
export function displayName(filename: string | undefined): string {
  const base = (filename ?? '').split(/[\\/]/).pop() ?? '';
  const printable = [...base].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f);
  const clean = printable.join('').trim().slice(0, 255);
  return clean || 'upload';
}

/**
 * Streams the multipart `file` to a temporary file, hashing and counting on the way, so an
 * upload is never held in memory. Past `maxBytes` the stream fails with 413 (from multipart)
 * and the partial file is removed.
 */
export async function receiveUpload(
  request: FastifyRequest,
  tempPath: string,
  maxBytes: number,
): Promise<ReceivedUpload> {
  if (!request.isMultipart()) {
    throw new UnsupportedMediaTypeException(
      'Send multipart/form-data with the file in a `file` field.',
    );
  }
  // Without one the parser throws a plain error, which would be a 500.
  if (!/;\s*boundary=/i.test(request.headers['content-type'] ?? '')) {
    throw new BadRequestException('The multipart Content-Type has no boundary parameter.');
  }
  const fields: Record<string, string> = {};
  let received: Omit<ReceivedUpload, 'fields'> | undefined;
  try {
    const parts = request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024 },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        fields[part.fieldname] = String(part.value);
        continue;
      }
      if (part.file.destroyed) {
        // The parser gave up on the body (a field or part limit) after it announced this file,
        // and the stream will never end: the reason is the next part, which throws.
        continue;
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw new ValidationProblemException([
          { field: part.fieldname, message: 'only `file` may hold a file' },
        ]);
      }
      const hash = createHash('sha256');
      let sizeBytes = 0;
      let head = Buffer.alloc(0);
      const tap = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          sizeBytes += chunk.length;
          if (head.length < SNIFF_BYTES)
            head = Buffer.concat([head, chunk.subarray(0, SNIFF_BYTES)]);
          done(null, chunk);
        },
      });
      await pipeline(part.file, tap, createWriteStream(tempPath));
      received = {
        tempPath,
        filename: displayName(part.filename),
        sizeBytes,
        sha256: hash.digest('hex'),
        head,
      };
    }
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  if (!received) {
    throw new ValidationProblemException([{ field: 'file', message: 'file is required' }]);
  }
  if (received.sizeBytes === 0) {
    await rm(tempPath, { force: true });
    throw new BadRequestException('The file is empty.');
  }
  return { ...received, fields };
}
