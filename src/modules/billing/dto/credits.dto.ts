import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import { CreditEntry } from '../entities/credit-entry.entity';
import { Meter, METERS } from '../meters';

export class GrantCreditsDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Credit to add, in cents',
    example: 500,
  })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amount: number;

  @ApiProperty({ maxLength: 500, example: 'Goodwill for the outage of 3 March' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class CreditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({
    type: 'integer',
    description: 'Cents: positive for a grant, negative for overage paid',
  })
  amountCents: number;

  @ApiProperty({ type: 'integer', description: 'The balance once this entry applied, in cents' })
  balanceAfterCents: number;

  @ApiProperty()
  reason: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The admin who granted it',
  })
  actorId: string | null;

  @ApiProperty({ enum: METERS, enumName: 'Meter', nullable: true })
  meter: Meter | null;

  @ApiProperty()
  createdAt: Date;

  static from(entry: CreditEntry): CreditEntryDto {
    const { id, userId, amountCents, balanceAfterCents, reason, actorId, meter, createdAt } = entry;
    return { id, userId, amountCents, balanceAfterCents, reason, actorId, meter, createdAt };
  }
}
