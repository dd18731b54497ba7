import { InvoiceLineKind } from './entities/invoice-line.entity';
import { invoiceFor, PeriodStatement } from './invoice-lines';
import { MeterValues } from './meters';

const values = (overrides: Partial<MeterValues>, fill: number | null): MeterValues => ({
  jobs: fill,
  processing_seconds: fill,
  storage_bytes: fill,
  embedding_documents: fill,
  messages: fill,
  tokens: fill,
  ...overrides,
});

const statement = (overrides: Partial<PeriodStatement> = {}): PeriodStatement => ({
  plan: {
    name: 'Pro',
    priceCents: 2900,
    limits: values({ jobs: 10, tokens: 1000, messages: null }, 100),
    overagePrices: values({ jobs: 5, tokens: 2, processing_seconds: null }, 1),
  },
  used: {
    ...values({}, 0),
    jobs: 14,
    tokens: 2500,
    messages: 7000,
    processing_seconds: 500,
  } as PeriodStatement['used'],
  creditsConsumedCents: 0,
  ...overrides,
});

describe('invoiceFor', () => {
  it('has the plan price first, then one line per meter with its overage priced', () => {
    const invoice = invoiceFor(statement());
    expect(invoice.lines[0]).toEqual({
      kind: InvoiceLineKind.Plan,
      meter: null,
      description: 'Pro plan, one month',
      quantity: 1,
      includedQuantity: null,
      amountCents: 2900,
    });
    const usage = Object.fromEntries(
      invoice.lines.filter((l) => l.kind === InvoiceLineKind.Usage).map((l) => [l.meter, l]),
    );
    expect(Object.keys(usage)).toHaveLength(6);
    expect(usage.jobs).toMatchObject({ quantity: 14, includedQuantity: 10, amountCents: 20 });
    expect(usage.jobs.description).toBe('jobs: 14 used, 10 included, 4 over');
    // 1,500 tokens over, at 2 cents per 1,000, rounded up.
    expect(usage.tokens.amountCents).toBe(3);
    expect(usage.messages).toMatchObject({ includedQuantity: null, amountCents: 0 });
    expect(usage.messages.description).toBe('messages: 7,000 used, unlimited included');
    // Over the limit but without an overage price: shown, not charged.
    expect(usage.processing_seconds.amountCents).toBe(0);
    expect(invoice).toMatchObject({
      subtotalCents: 2923,
      creditsAppliedCents: 0,
      totalCents: 2923,
    });
  });

  it('applies the credits consumed in the period, as a negative line', () => {
    const invoice = invoiceFor(statement({ creditsConsumedCents: 20 }));
    expect(invoice.lines.at(-1)).toMatchObject({ kind: InvoiceLineKind.Credits, amountCents: -20 });
    expect(invoice).toMatchObject({
      subtotalCents: 2923,
      creditsAppliedCents: 20,
      totalCents: 2903,
    });
  });

  it('never applies more credit than the overage', () => {
    const invoice = invoiceFor(statement({ creditsConsumedCents: 1000 }));
    expect(invoice.creditsAppliedCents).toBe(23);
    expect(invoice.totalCents).toBe(2900);
  });

  it('is just the plan price when nothing went over', () => {
    const invoice = invoiceFor(statement({ used: values({}, 0) as PeriodStatement['used'] }));
    expect(invoice.lines).toHaveLength(7);
    expect(invoice.totalCents).toBe(2900);
  });
});
