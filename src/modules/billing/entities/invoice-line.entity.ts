import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { Meter } from '../meters';
import { Invoice } from './invoice.entity';

export enum InvoiceLineKind {
  Plan = 'plan',
  Usage = 'usage',
  Credits = 'credits',
}

@Entity('invoice_lines')
@Index(['invoiceId', 'position'])
export class InvoiceLine {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  invoiceId: string;

  // Relation<>: the two entities import each other, and a bare class type here would be read
  // (as decorator metadata) before invoice.entity has defined it, when that file loads first.
  @ManyToOne(() => Invoice, (invoice) => invoice.lines, { onDelete: 'CASCADE' })
  invoice?: Relation<Invoice>;

  @Column({ type: 'smallint' })
  position: number;

  @Column({ type: 'enum', enum: InvoiceLineKind, enumName: 'invoice_line_kind' })
  kind: InvoiceLineKind;

  @Column({ type: 'varchar', length: 32, nullable: true })
  meter: Meter | null;

  @Column({ type: 'varchar', length: 200 })
  description: string;

  /** Units used in the period (usage lines), 1 for the plan, 0 for credits. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  quantity: number;

  /** What the plan includes of the meter; null for unlimited or for other kinds of line. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  includedQuantity: number | null;

  /** Negative for credits. */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amountCents: number;
}
