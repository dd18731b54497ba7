import { ApiProperty } from '@nestjs/swagger';

export class StripeEventReceiptDto {
  @ApiProperty({ enum: [true] })
  received: true;

  @ApiProperty({ description: 'True when this event id was applied before; nothing changed now' })
  duplicate: boolean;
}
