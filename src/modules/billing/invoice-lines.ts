import { InvoiceLineKind } from './entities/invoice-line.entity';
import { Meter, METERS, MeterValues, overageCents, overageUnits } from './meters';

export interface PeriodStatement {
  plan: { name: string; priceCents: number; limits: MeterValues; overagePrices: MeterValues };
  /** Each meter's count at the period's end. */
  used: Record<Meter, number>;
  /** Credits that paid for overage during the period. */
  creditsConsumedCents: number;
}

export interface ComputedLine {
  kind: InvoiceLineKind;
  meter: Meter | null;
  description: string;
  quantity: number;
  includedQuantity: number | null;
  amountCents: number;
}

export interface ComputedInvoice {
  lines: ComputedLine[];
  subtotalCents: number;
  creditsAppliedCents: number;
  totalCents: number;
}

const count = (value: number): string => value.toLocaleString('en-US');

/**
 * A period's invoice: the plan's price, one line per meter with its overage priced as the plan
 * says (nothing without an overage price), and the credits that already paid for overage,
 * never more than the overage itself.
 */
export function invoiceFor({ plan, used, creditsConsumedCents }: PeriodStatement): ComputedInvoice {
  const lines: ComputedLine[] = [
    {
      kind: InvoiceLineKind.Plan,
      meter: null,
      description: `${plan.name} plan, one month`,
      quantity: 1,
      includedQuantity: null,
      amountCents: plan.priceCents,
    },
  ];
  for (const meter of METERS) {
    const limit = plan.limits[meter];
    const price = plan.overagePrices[meter];
    const over = overageUnits(used[meter], limit);
    const included = limit === null ? 'unlimited' : count(limit);
    lines.push({
      kind: InvoiceLineKind.Usage,
      meter,
      description:
        `${meter}: ${count(used[meter])} used, ${included} included` +
        (over > 0 ? `, ${count(over)} over` : ''),
      quantity: used[meter],
      includedQuantity: limit,
      amountCents: price === null ? 0 : overageCents(meter, over, price),
    });
  }
  const overage = lines.slice(1).reduce((sum, line) => sum + line.amountCents, 0);
  const creditsAppliedCents = Math.min(creditsConsumedCents, overage);
  if (creditsAppliedCents > 0) {
    lines.push({
      kind: InvoiceLineKind.Credits,
      meter: null,
      description: 'Credits applied to overage',
      quantity: 0,
      includedQuantity: null,
      amountCents: -creditsAppliedCents,
    });
  }
  const subtotalCents = plan.priceCents + overage;
  return {
    lines,
    subtotalCents,
    creditsAppliedCents,
    totalCents: subtotalCents - creditsAppliedCents,
  };
}
