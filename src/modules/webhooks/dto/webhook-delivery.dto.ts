import { ApiProperty } from '@nestjs/swagger';
import {
  DeliveryAttempt,
  DeliveryStatus,
  WebhookDelivery,
} from '../entities/webhook-delivery.entity';
import { WEBHOOK_EVENTS, WebhookEvent } from '../webhook-events';

export class DeliveryAttemptDto implements DeliveryAttempt {
  @ApiProperty({ type: 'integer', example: 1, description: 'Counts from 1' })
  attempt: number;

  @ApiProperty({ format: 'date-time', description: 'When the attempt ended' })
  at: string;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 500,
    description: 'Null when no answer came',
  })
  statusCode: number | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'timed out after 10000 ms',
    description: 'Why no answer came (network error, timeout, refused address); null otherwise',
  })
  error: string | null;

  @ApiProperty({ type: 'integer', example: 87 })
  durationMs: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid', description: 'Also sent as the `Kiln-Delivery` header' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  webhookId: string;

  @ApiProperty({
    format: 'uuid',
    description: "The body's `id`: the same for every webhook told about one event",
  })
  eventId: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS, enumName: 'WebhookEvent' })
  type: WebhookEvent;

  @ApiProperty({
    enum: DeliveryStatus,
    enumName: 'WebhookDeliveryStatus',
    description:
      '`pending` until an attempt succeeds (`succeeded`) or the last one fails (`failed`)',
  })
  status: DeliveryStatus;

  @ApiProperty({ type: 'integer', example: 2, description: 'Attempts made so far' })
  attempts: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 200,
    description: 'Of the last attempt',
  })
  lastStatusCode: number | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Of the last attempt' })
  lastError: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 87, description: 'Of the last attempt' })
  lastDurationMs: number | null;

  @ApiProperty({ type: [DeliveryAttemptDto], description: 'Every attempt, oldest first' })
  attemptLog: DeliveryAttemptDto[];

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  static from(delivery: WebhookDelivery): WebhookDeliveryDto {
    const { id, webhookId, eventId, type, status, attempts, attemptLog, createdAt, updatedAt } =
      delivery;
    const { lastStatusCode, lastError, lastDurationMs } = delivery;
    return {
      id,
      webhookId,
      eventId,
      type,
      status,
      attempts,
      lastStatusCode,
      lastError,
      lastDurationMs,
      attemptLog,
      createdAt,
      updatedAt,
    };
  }
}
