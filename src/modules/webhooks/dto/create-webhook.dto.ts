import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsString,
  IsUrl,
  MaxLength,
} from 'class-validator';
import { WEBHOOK_EVENTS, WebhookEvent } from '../webhook-events';

export const WEBHOOK_URL_MAX_LENGTH = 2048;

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://example.com/kiln-webhooks',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
    description:
      'An http or https URL without credentials. Its host must resolve only to public addresses ' +
      '(not private, loopback, link-local, unique-local, multicast, unspecified or CGNAT).',
  })
  @IsString()
  @MaxLength(WEBHOOK_URL_MAX_LENGTH)
  // require_tld is off so that `localhost` and bare IPs reach the address check and are refused
  // there with its reason, rather than as "not a URL".
  @IsUrl(
    {
      protocols: ['http', 'https'],
      require_protocol: true,
      require_tld: false,
      disallow_auth: true,
    },
    { message: 'url must be an http or https URL without credentials' },
  )
  url: string;

  @ApiProperty({
    enum: WEBHOOK_EVENTS,
    enumName: 'WebhookEvent',
    isArray: true,
    minItems: 1,
    uniqueItems: true,
    example: ['job.completed', 'job.failed'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENTS, {
    each: true,
    message: `each event must be one of ${WEBHOOK_EVENTS.join(', ')}`,
  })
  events: WebhookEvent[];
}
