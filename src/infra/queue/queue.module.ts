import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { redisOptionsFromUrl } from '../redis/redis-options';

/** Registers Bull once; feature modules add their queues with BullModule.registerQueue(). */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redis: redisOptionsFromUrl(config.redis.url),
        prefix: `${config.redis.prefix}:bull`,
      }),
    }),
  ],
})
export class QueueModule {}
