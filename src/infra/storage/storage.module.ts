import { Global, Module } from '@nestjs/common';
import { StorageDirectory } from './storage-directory';

@Global()
@Module({ providers: [StorageDirectory], exports: [StorageDirectory] })
export class StorageModule {}
