import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBoxModule } from '../../infra/crypto/secret-box.module';
import { ProviderKey } from './entities/provider-key.entity';
import { ProviderKeysController } from './provider-keys.controller';
import { ProviderKeysService } from './provider-keys.service';

@Module({
  imports: [TypeOrmModule.forFeature([ProviderKey]), SecretBoxModule],
  controllers: [ProviderKeysController],
  providers: [ProviderKeysService],
  exports: [ProviderKeysService],
})
export class ProviderKeysModule {}
