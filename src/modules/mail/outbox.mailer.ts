import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OutboxMail } from './entities/outbox-mail.entity';
import { Mail, Mailer } from './mailer';

/** Keeps mail in PostgreSQL, where developers and tests read it. */
@Injectable()
export class OutboxMailer extends Mailer {
  constructor(@InjectRepository(OutboxMail) private readonly outbox: Repository<OutboxMail>) {
    super();
  }

  async send(mail: Mail): Promise<void> {
    await this.outbox.insert(mail);
  }
}
