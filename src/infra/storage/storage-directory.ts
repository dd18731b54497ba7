import { Injectable, OnModuleInit } from '@nestjs/common';
import { mkdir } from 'node:fs/promises';
import { AppConfig } from '../../config/app-config';

/** Makes sure STORAGE_DIR exists before anything, the readiness disk check included, uses it. */
@Injectable()
export class StorageDirectory implements OnModuleInit {
  constructor(private readonly config: AppConfig) {}

  get path(): string {
    return this.config.storage.dir;
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.path, { recursive: true });
  }
}
