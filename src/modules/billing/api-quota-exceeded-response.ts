import { ApiProperty } from '@nestjs/swagger';
import { ApiProblemResponse } from '../../common/problem/api-problem-response';
import { Meter, METERS } from './meters';

/** The extension members of a 402 (QuotaExceededException): the meter that is full. */
export class QuotaExceeded {
  @ApiProperty({ enum: METERS, enumName: 'Meter' })
  meter: Meter;

  @ApiProperty({
    type: 'integer',
    description: 'The plan’s limit of the meter per period',
    example: 100,
  })
  limit: number;

  @ApiProperty({
    type: 'integer',
    description: 'How much of the meter the period has used',
    example: 100,
  })
  used: number;
}

/** For routes whose work is metered: over the plan's limit, with no credits to pay, they answer 402. */
export const ApiQuotaExceededResponse = (): MethodDecorator & ClassDecorator =>
  ApiProblemResponse(
    402,
    'A plan limit is reached and credits do not cover the rest; nothing is changed',
    QuotaExceeded,
  );
