import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { AppConfig } from '../../config/app-config';
import { ByteRange, ObjectStorage } from './object-storage';

const SAFE_KEY = /^[a-z0-9][a-z0-9/_.-]*$/i;

/**
 * Objects as files under STORAGE_DIR. Keys are made by Kiln (never from client file names) and
 * are checked to stay inside the directory all the same.
 */
@Injectable()
export class LocalObjectStorage extends ObjectStorage implements OnModuleInit {
  readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = resolve(config.storage.dir);
  }

  async onModuleInit(): Promise<void> {
    await mkdir(join(this.root, 'tmp'), { recursive: true });
  }

  tempPath(): string {
    return join(this.root, 'tmp', randomUUID());
  }

  async putFile(key: string, localPath: string): Promise<void> {
    const target = this.pathOf(key);
    // The key's directory usually exists already: one rename then, without a mkdir first.
    try {
      await rename(localPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(target), { recursive: true });
      await rename(localPath, target);
    }
  }

  async localPath(key: string): Promise<string> {
    return this.pathOf(key);
  }

  read(key: string, range?: ByteRange): Readable {
    return createReadStream(this.pathOf(key), range);
  }

  async size(key: string): Promise<number> {
    return (await stat(this.pathOf(key))).size;
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!SAFE_KEY.test(key) || key.includes('..') || !path.startsWith(this.root + sep)) {
      throw new Error(`Unsafe storage key: ${key}`);
    }
    return path;
  }
}
