import { Global, Module } from '@nestjs/common';
import { LocalObjectStorage } from './local-object-storage';
import { ObjectStorage } from './object-storage';

@Global()
@Module({
  providers: [LocalObjectStorage, { provide: ObjectStorage, useExisting: LocalObjectStorage }],
  exports: [ObjectStorage, LocalObjectStorage],
})
export class StorageModule {}
