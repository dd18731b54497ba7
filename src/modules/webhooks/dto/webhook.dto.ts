import { ApiProperty } from '@nestjs/swagger';
import { Webhook } from '../entities/webhook.entity';
import { WEBHOOK_EVENTS, WebhookEvent } from '../webhook-events';

export class WebhookDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'https://example.com/kiln-webhooks' })
  url: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent', isArray: true })
  events: WebhookEvent[];

  @ApiProperty()
  createdAt: Date;

  static from(webhook: Webhook): WebhookDto {
    const { id, url, events, createdAt } = webhook;
    return { id, url, events, createdAt };
  }
}

export class CreatedWebhookDto extends WebhookDto {
  @ApiProperty({
    example: 'whsec_3q2-7wQfXbN0kz1mJc8yR4uVtA6sLpEoHdGiKjMnOrY',
    description:
      'The signing secret, shown only in this answer. Each delivery carries `Kiln-Signature: ' +
      't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, keyed with this whole string.',
  })
  secret: string;
}
