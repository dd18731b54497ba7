import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';
import { MeterValues } from '../meters';

/** Required: a whole number, or null. */
const MeterValue = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: 'integer', nullable: true, minimum: 0 }),
    ValidateIf((_: object, value: unknown) => value !== null),
    IsInt(),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  );

/** A number, or null, for each meter: a plan's limits or its overage prices. */
export class MeterValuesDto implements MeterValues {
  @MeterValue()
  jobs: number | null;

  @MeterValue()
  processing_seconds: number | null;

  @MeterValue()
  storage_bytes: number | null;

  @MeterValue()
  embedding_documents: number | null;

  @MeterValue()
  messages: number | null;

  @MeterValue()
  tokens: number | null;
}
