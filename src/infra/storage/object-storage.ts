import type { Readable } from 'node:stream';

/** Inclusive byte offsets, as HTTP ranges count them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where media bytes live. Kiln ships a local-directory implementation; an object store (S3 and
 * the like) can implement the same contract, staging files on local disk for ffmpeg.
 */
export abstract class ObjectStorage {
  /** A fresh path on local disk to write an incoming file to before it is stored. */
  abstract tempPath(): string;

  /** Stores a local file under the key (replacing what was there); the file is consumed. */
  abstract putFile(key: string, localPath: string): Promise<void>;

  /** A local file with the object's bytes, for tools such as ffmpeg that read files. */
  abstract localPath(key: string): Promise<string>;

  abstract read(key: string, range?: ByteRange): Readable;

  abstract size(key: string): Promise<number>;

  /** Removes the object; removing one that is not there is not an error. */
  abstract remove(key: string): Promise<void>;
}
