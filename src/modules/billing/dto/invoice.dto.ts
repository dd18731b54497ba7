import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { periodName } from '../billing-period';
import { InvoiceLine, InvoiceLineKind } from '../entities/invoice-line.entity';
import { Invoice } from '../entities/invoice.entity';
import { Meter, METERS } from '../meters';

export class InvoiceLineDto {
  @ApiProperty({ enum: InvoiceLineKind, enumName: 'InvoiceLineKind' })
  kind: InvoiceLineKind;

  @ApiProperty({ enum: METERS, enumName: 'Meter', nullable: true })
  meter: Meter | null;

  @ApiProperty({ example: 'jobs: 1,040 used, 1,000 included' })
  description: string;

  @ApiProperty({ type: 'integer' })
  quantity: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'What the plan includes' })
  includedQuantity: number | null;

  @ApiProperty({ type: 'integer', description: 'Cents; negative for credits' })
  amountCents: number;

  static from(line: InvoiceLine): InvoiceLineDto {
    const { kind, meter, description, quantity, includedQuantity, amountCents } = line;
    return { kind, meter, description, quantity, includedQuantity, amountCents };
  }
}

export class InvoiceDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: '2026-01' })
  period: string;

  @ApiProperty()
  periodStart: Date;

  @ApiProperty()
  periodEnd: Date;

  @ApiProperty({ format: 'uuid' })
  planId: string;

  @ApiProperty({ example: 'Pro' })
  planName: string;

  @ApiProperty({ example: 'usd' })
  currency: string;

  @ApiProperty({ type: 'integer', description: 'Plan price plus overage, in cents' })
  subtotalCents: number;

  @ApiProperty({
    type: 'integer',
    description: 'Credits that paid for overage in the period, in cents',
  })
  creditsAppliedCents: number;

  @ApiProperty({ type: 'integer', description: 'What is owed, in cents' })
  totalCents: number;

  @ApiPropertyOptional({
    type: [InvoiceLineDto],
    description: 'Only on GET /billing/invoices/{id}',
  })
  lines?: InvoiceLineDto[];

  @ApiProperty()
  createdAt: Date;

  static from(invoice: Invoice): InvoiceDto {
    return {
      id: invoice.id,
      userId: invoice.userId,
      period: periodName(invoice.periodStart),
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      planId: invoice.planId,
      planName: invoice.planName,
      currency: invoice.currency,
      subtotalCents: invoice.subtotalCents,
      creditsAppliedCents: invoice.creditsAppliedCents,
      totalCents: invoice.totalCents,
      ...(invoice.lines ? { lines: invoice.lines.map(InvoiceLineDto.from) } : {}),
      createdAt: invoice.createdAt,
    };
  }
}
