/** What Kiln meters, as the contract names them. */
export const METERS = [
  'jobs',
  'processing_seconds',
  'storage_bytes',
  'embedding_documents',
  'messages',
  'tokens',
] as const;

export type Meter = (typeof METERS)[number];

/** A value per meter: a limit (null: unlimited) or an overage price (null: none on sale). */
export type MeterValues = Record<Meter, number | null>;

/**
 * Overage is priced per block of units, so that prices stay whole cents: a plan's overage price
 * for a meter is in cents per block.
 */
export const PRICE_BLOCKS: Record<Meter, { size: number; unit: string }> = {
  jobs: { size: 1, unit: 'job' },
  processing_seconds: { size: 60, unit: 'minute' },
  storage_bytes: { size: 1_000_000_000, unit: 'GB' },
  embedding_documents: { size: 100, unit: '100 documents' },
  messages: { size: 1, unit: 'message' },
  tokens: { size: 1000, unit: '1,000 tokens' },
};

/**
 * Meters of a level rather than a flow: storage is what is kept, so a new period starts where
 * the last one ended instead of at zero.
 */
export const LEVEL_METERS: readonly Meter[] = ['storage_bytes'];

export const isLevelMeter = (meter: Meter): boolean => LEVEL_METERS.includes(meter);

/**
 * Reserving a meter also needs room in another, counted later: a job may start only while its
 * plan has run time (processing_seconds) left.
 */
export const NEEDS_ROOM_IN: Partial<Record<Meter, Meter>> = { jobs: 'processing_seconds' };

/** Units above the limit; none when there is no limit. */
export function overageUnits(used: number, limit: number | null): number {
  return limit === null ? 0 : Math.max(0, used - limit);
}

/** Cents owed for `units` over the limit: in proportion to the block, rounded up to a cent. */
export function overageCents(meter: Meter, units: number, centsPerBlock: number): number {
  return Math.ceil((units * centsPerBlock) / PRICE_BLOCKS[meter].size);
}

/**
 * What adding `amount` to `used` costs beyond the limit: the price of the overage after it less
 * the price of the overage before it, so charges made one request at a time add up to the
 * price of the whole overage, with no rounding creeping in.
 */
export function overageCostOf(
  meter: Meter,
  used: number,
  amount: number,
  limit: number | null,
  centsPerBlock: number,
): number {
  return (
    overageCents(meter, overageUnits(used + amount, limit), centsPerBlock) -
    overageCents(meter, overageUnits(used, limit), centsPerBlock)
  );
}
