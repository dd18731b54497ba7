import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Meter, MeterValues } from '../../src/modules/billing/meters';
import { TestAccount } from './accounts';
import { TestApp } from './test-app';

const UNLIMITED: MeterValues = {
  jobs: null,
  processing_seconds: null,
  storage_bytes: null,
  embedding_documents: null,
  messages: null,
  tokens: null,
};

export interface TestPlanTerms {
  priceCents?: number;
  limits?: Partial<MeterValues>;
  overagePrices?: Partial<MeterValues>;
  rateLimitTier?: 'standard' | 'elevated' | 'premium';
}

/**
 * A plan of the suite's own, put straight into the database: suites share the run's database,
 * so none changes the seeded plans that every other suite's users are on. Unlimited and free
 * unless told otherwise; returns its id.
 */
export async function createPlan(t: TestApp, terms: TestPlanTerms = {}): Promise<string> {
  const code = `test-${randomUUID()}`;
  const [{ id }] = await t.app.get(DataSource).query(
    `INSERT INTO plans (code, name, price_cents, limits, overage_prices, rate_limit_tier)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [
      code,
      `Test ${code.slice(5, 13)}`,
      terms.priceCents ?? 0,
      JSON.stringify({ ...UNLIMITED, ...terms.limits }),
      JSON.stringify({ ...UNLIMITED, ...terms.overagePrices }),
      terms.rateLimitTier ?? 'standard',
    ],
  );
  return id;
}

/** Moves the account to the plan through the API (no payment provider: at once). */
export async function subscribe(t: TestApp, account: TestAccount, planId: string): Promise<void> {
  const response = await t.http
    .post('/api/v1/billing/subscription')
    .set(account.auth)
    .send({ planId });
  if (response.status !== 200) {
    throw new Error(`POST /billing/subscription answered ${response.status}: ${response.text}`);
  }
}

/** A new plan with these terms, and the account on it. */
export async function onPlan(t: TestApp, account: TestAccount, terms: TestPlanTerms) {
  const planId = await createPlan(t, terms);
  await subscribe(t, account, planId);
  return planId;
}

/** The account's count of a meter in the current period, from the database. */
export async function usedOf(t: TestApp, userId: string, meter: Meter): Promise<number> {
  const rows = await t.app.get(DataSource).query(
    `SELECT used FROM usage_counters WHERE user_id = $1 AND meter = $2
       ORDER BY period_start DESC LIMIT 1`,
    [userId, meter],
  );
  return rows.length ? Number(rows[0].used) : 0;
}

/** How many rows of a table belong to the user (by `column`). */
export async function countRows(
  t: TestApp,
  table: string,
  column: string,
  userId: string,
): Promise<number> {
  const [{ count }] = await t.app
    .get(DataSource)
    .query(`SELECT count(*)::int AS count FROM ${table} WHERE ${column} = $1`, [userId]);
  return count;
}
