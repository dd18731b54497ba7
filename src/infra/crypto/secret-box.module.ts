import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from './secret-box';

/** The secret box under the configured DATA_ENCRYPTION_KEY (and any previous ones). */
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: ({ encryption }: AppConfig) =>
        new SecretBox(encryption.key, encryption.previousKeys),
    },
  ],
  exports: [SecretBox],
})
export class SecretBoxModule {}
