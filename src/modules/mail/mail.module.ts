import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { OutboxMail } from './entities/outbox-mail.entity';
import { Mailer } from './mailer';
import { OutboxMailer } from './outbox.mailer';
import { SmtpMailer } from './smtp.mailer';

@Module({
  imports: [TypeOrmModule.forFeature([OutboxMail])],
  providers: [
    OutboxMailer,
    {
      provide: Mailer,
      inject: [AppConfig, OutboxMailer],
      useFactory: (config: AppConfig, outbox: OutboxMailer) =>
        config.mail.smtpUrl ? new SmtpMailer(config) : outbox,
    },
  ],
  exports: [Mailer],
})
export class MailModule {}
