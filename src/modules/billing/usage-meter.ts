import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { hydrateRow } from '../../infra/database/hydrate-row';
import { insertSelect } from '../../infra/database/insert-select';
import { namedQuery, statementName } from '../../infra/database/pg-client';
import { pgPool } from '../../infra/database/pg-pool';
import { periodStartOf } from './billing-period';
import { Clock } from './clock';
import { CreditsService } from './credits.service';
import { isLevelMeter, Meter, NEEDS_ROOM_IN, overageCostOf } from './meters';
import { QuotaExceededException } from './quota-exceeded.exception';
import { SubscriptionsService } from './subscriptions.service';

/** The reservation's six parameters, numbered after `offset`. */
function reservationParameters(offset: number) {
  const [user, meter, amount, period, key, needsRoomIn] = [1, 2, 3, 4, 5, 6].map(
    (i) => `$${offset + i}`,
  );
  return { user, meter, amount, period, key, needsRoomIn };
}

type ReservationParameters = ReturnType<typeof reservationParameters>;

/**
 * Adds the amount to the period's counter when `gate` holds and it fits the plan's limit (and
 * the meter it needs room in has some). The UPDATE locks the counter row until the transaction
 * ends, and a racing UPDATE re-checks the limit against the committed count, so racing requests
 * are counted one after the other.
 */
function countedCte(
  { user, meter, amount, period, needsRoomIn }: ReservationParameters,
  gate: string,
): string {
  return `billing_counted AS (
    UPDATE usage_counters c SET used = GREATEST(c.used + ${amount}::bigint, 0)
    FROM subscriptions s JOIN plans p ON p.id = s.plan_id
    WHERE ${gate}
      AND c.user_id = ${user}::uuid AND c.period_start = ${period}::timestamptz
      AND c.meter = ${meter}::text AND s.user_id = ${user}::uuid
      AND (${amount}::bigint <= 0 OR p.limits ->> ${meter}::text IS NULL
           OR c.used + ${amount}::bigint <= (p.limits ->> ${meter}::text)::bigint)
      AND (${needsRoomIn}::text IS NULL OR p.limits ->> ${needsRoomIn}::text IS NULL
           OR COALESCE((SELECT r.used FROM usage_counters r WHERE r.user_id = ${user}::uuid
                          AND r.period_start = ${period}::timestamptz
                          AND r.meter = ${needsRoomIn}::text), 0)
              < (p.limits ->> ${needsRoomIn}::text)::bigint)
    RETURNING c.used
  )`;
}

const EVENT_COLUMNS = 'usage_events (user_id, meter, amount, period_start, idempotency_key)';

const eventValues = ({ user, meter, amount, period, key }: ReservationParameters): string =>
  `${user}::uuid, ${meter}::text, ${amount}::bigint, ${period}::timestamptz, ${key}::text`;

/**
 * The reservation, as two CTEs whose six parameters start after `offset`: append the event
 * (once per idempotency key), and count it when it is new and fits.
 */
function reservationCtes(offset: number): string {
  const parameters = reservationParameters(offset);
  return `
  billing_event AS (
    INSERT INTO ${EVENT_COLUMNS} VALUES (${eventValues(parameters)})
    ON CONFLICT (user_id, idempotency_key) DO NOTHING
    RETURNING 1
  ), ${countedCte(parameters, 'EXISTS (SELECT 1 FROM billing_event)')}`;
}

/**
 * The reservation the other way round, for a key that is new: count when it fits, and append
 * the event only then, so that a statement that cannot count writes nothing. (A key used before
 * is an error here: the event's unique key refuses it, and the statement with it.)
 */
function newKeyReservationCtes(offset: number): string {
  const parameters = reservationParameters(offset);
  return `
  ${countedCte(parameters, 'TRUE')}, billing_event AS (
    INSERT INTO ${EVENT_COLUMNS}
    SELECT ${eventValues(parameters)} WHERE EXISTS (SELECT 1 FROM billing_counted)
  )`;
}

/**
 * What the reservation did: `billing_fresh` is false for an idempotency key already counted;
 * `billing_used` is null when the counter row is missing or a limit is in the way (the slow path
 * decides).
 */
const RESERVATION_RESULT = `EXISTS (SELECT 1 FROM billing_event) AS billing_fresh,
  (SELECT used FROM billing_counted) AS billing_used`;

const COUNT_WITHIN_LIMIT = `WITH ${reservationCtes(0)} SELECT ${RESERVATION_RESULT}`;

/** A level meter's new period starts where the latest earlier one ended. */
const CARRIED_LEVEL = `COALESCE((
    SELECT used FROM usage_counters
    WHERE user_id = $1::uuid AND meter = $3::text AND period_start < $2::timestamptz
    ORDER BY period_start DESC LIMIT 1), 0)`;

const ENSURE_COUNTER = `
  INSERT INTO usage_counters (user_id, period_start, meter, used)
  VALUES ($1::uuid, $2::timestamptz, $3::text, CASE WHEN $4::boolean THEN ${CARRIED_LEVEL} ELSE 0 END)
  ON CONFLICT DO NOTHING`;

const LOCK_COUNTER = `
  SELECT c.used, (p.limits ->> $3::text)::bigint AS "limit",
         (p.overage_prices ->> $3::text)::bigint AS price
  FROM usage_counters c
  JOIN subscriptions s ON s.user_id = c.user_id
  JOIN plans p ON p.id = s.plan_id
  WHERE c.user_id = $1::uuid AND c.period_start = $2::timestamptz AND c.meter = $3::text
  FOR UPDATE OF c`;

const ADD_TO_COUNTER = `
  UPDATE usage_counters SET used = GREATEST(used + $4::bigint, 0)
  WHERE user_id = $1::uuid AND period_start = $2::timestamptz AND meter = $3::text`;

/** The standing of one meter without counting anything; a user with no subscription is on the default plan. */
const STANDING = `
  SELECT COALESCE(c.used, CASE WHEN $4::boolean THEN ${CARRIED_LEVEL} ELSE 0 END) AS used,
         (p.limits ->> $3::text)::bigint AS "limit",
         (p.overage_prices ->> $3::text)::bigint AS price,
         COALESCE(s.credit_balance_cents, 0) AS balance
  FROM plans p
  LEFT JOIN subscriptions s ON s.user_id = $1::uuid
  LEFT JOIN usage_counters c
    ON c.user_id = $1::uuid AND c.period_start = $2::timestamptz AND c.meter = $3::text
  WHERE p.id = COALESCE(s.plan_id, (SELECT id FROM plans WHERE code = $5::text))`;

type Mode = 'reserve' | 'record' | 'release';

/** A count about to be made: what the slow path needs, and the reservation's parameters. */
interface PlannedCount {
  mode: Mode;
  userId: string;
  meter: Meter;
  delta: number;
  period: Date;
  values: unknown[];
}

interface Statement {
  name: string;
  text: string;
}

/** What insertReserving() counts; the key must be new. */
interface Reservation {
  userId: string;
  meter: Meter;
  amount: number;
  idempotencyKey: string;
}

interface ReservationResult {
  billing_fresh: boolean;
  billing_used: string | null;
}

interface Standing {
  used: string;
  limit: string | null;
  price: string | null;
}

interface StandingWithBalance extends Standing {
  balance: string;
}

const toNumber = (value: string | null): number | null => (value === null ? null : Number(value));

/**
 * Counts what users use against their plan's limits. Every method works inside the caller's
 * transaction, so a count exists exactly when the thing it counts does: a refused reservation
 * throws, and the caller's transaction rolls back with nothing of the request written. Credits
 * pay for use beyond the limit before anything is refused.
 */
@Injectable()
export class UsageMeter {
  private readonly enabled: boolean;
  private readonly insertStatements = new Map<string, Statement>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly credits: CreditsService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.enabled = config.billing.metering;
  }

  /**
   * Counts `amount` of `meter`, or answers 402 (QuotaExceededException) when the plan's limit
   * leaves no room and credits cannot pay for the rest, or when the meter it needs room in
   * (NEEDS_ROOM_IN: jobs need processing_seconds) has none. A repeated idempotency key counts once.
   */
  reserve(
    manager: EntityManager,
    userId: string,
    meter: Meter,
    amount: number,
    idempotencyKey: string = randomUUID(),
  ): Promise<void> {
    return this.count(manager, 'reserve', userId, meter, amount, idempotencyKey);
  }

  /**
   * Inserts `row` (an entity of `target`) and reserves `amount` of `meter` for it, in a
   * transaction of its own, for a reservation whose key is new (made from the new row's id).
   * When the count fits the period's counter row, as it nearly always does, that is one
   * statement with no BEGIN and COMMIT around it: a third of the round trips of POST /jobs. When
   * it does not (a new period, a limit in the way), that statement writes nothing, and the same
   * insert runs in a transaction with the slow path, which counts or refuses (402) like
   * reserve(). Generated columns are set on `row`.
   */
  async insertReserving<T extends ObjectLiteral>(
    target: EntityTarget<T>,
    row: T,
    reservation: Reservation,
  ): Promise<void> {
    if (!this.enabled) {
      await this.dataSource.manager.insert(target, row);
      return;
    }
    const { manager } = this.dataSource;
    const { userId, meter, amount, idempotencyKey } = reservation;
    const planned = this.reservation('reserve', userId, meter, amount, idempotencyKey);
    const insert = insertSelect(manager, target, row);
    const values = [...insert.values, ...planned.values];
    const { rows } = await pgPool(this.dataSource).query<Record<string, unknown>>({
      ...this.insertStatement('insert-new-reserving', insert),
      values,
    });
    if (rows.length) {
      hydrateRow(manager, target, rows[0], row);
      return;
    }
    await this.dataSource.transaction(async (inTransaction) => {
      const slow = this.insertStatement('insert-reserving', insert);
      const [inserted] = await namedQuery<ReservationResult & Record<string, unknown>>(
        inTransaction,
        slow.name,
        slow.text,
        values,
      );
      hydrateRow(inTransaction, target, inserted, row);
      await this.settle(inTransaction, planned, inserted);
    });
  }

  /**
   * The statement that makes `insert` with the reservation, and its name. Inserts of one entity
   * differ only in the columns left to their defaults, so there are a few of each kind, each
   * built and hashed once rather than on every request.
   */
  private insertStatement(
    kind: 'insert-reserving' | 'insert-new-reserving',
    insert: { text: string; values: unknown[] },
  ): Statement {
    const key = `${kind} ${insert.text}`;
    let statement = this.insertStatements.get(key);
    if (!statement) {
      const parameters = insert.values.length;
      const text =
        kind === 'insert-reserving'
          ? `WITH ${reservationCtes(parameters)},
            billing_inserted AS (${insert.text} RETURNING *)
            SELECT billing_inserted.*, ${RESERVATION_RESULT} FROM billing_inserted`
          : `WITH ${newKeyReservationCtes(parameters)},
            billing_inserted AS (
              ${insert.text} WHERE EXISTS (SELECT 1 FROM billing_counted) RETURNING *)
            SELECT * FROM billing_inserted`;
      statement = { name: statementName(`billing.${kind}`, text), text };
      this.insertStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * Counts use that has already happened (processing time, output files): never refused; credits
   * pay what they can of any overage. Give a key that names the happening, so a retry counts once.
   */
  record(
    manager: EntityManager,
    userId: string,
    meter: Meter,
    amount: number,
    idempotencyKey: string,
  ): Promise<void> {
    return this.count(manager, 'record', userId, meter, amount, idempotencyKey);
  }

  /** Gives back `amount` of a level meter (storage freed). */
  release(
    manager: EntityManager,
    userId: string,
    meter: Meter,
    amount: number,
    idempotencyKey: string = randomUUID(),
  ): Promise<void> {
    return this.count(manager, 'release', userId, meter, amount, idempotencyKey);
  }

  /**
   * 402 now if `amount` more of `meter` would be refused, without counting anything: a cheap
   * early answer before costly work whose use is counted once it is done.
   */
  async assertRoom(userId: string, meter: Meter, amount = 1): Promise<void> {
    if (!this.enabled) return;
    const { rows } = await pgPool(this.dataSource).query<StandingWithBalance>({
      name: 'billing.standing',
      text: STANDING,
      values: this.standingValues(userId, meter),
    });
    this.assertStandingAllows(rows[0], meter, amount);
  }

  private standingValues(userId: string, meter: Meter): unknown[] {
    const period = periodStartOf(this.clock.now());
    return [userId, period, meter, isLevelMeter(meter), SubscriptionsService.DEFAULT_PLAN_CODE];
  }

  private assertStandingAllows(
    row: StandingWithBalance | undefined,
    meter: Meter,
    amount: number,
  ): void {
    if (!row) return;
    const used = Number(row.used);
    const limit = toNumber(row.limit);
    const price = toNumber(row.price);
    if (limit === null || used + amount <= limit) return;
    if (price !== null && overageCostOf(meter, used, amount, limit, price) <= Number(row.balance))
      return;
    throw new QuotaExceededException(meter, limit, used);
  }

  private async count(
    manager: EntityManager,
    mode: Mode,
    userId: string,
    meter: Meter,
    amount: number,
    key: string,
  ): Promise<void> {
    if (!this.enabled || amount === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      return manager.transaction((inner) => this.count(inner, mode, userId, meter, amount, key));
    }
    const reservation = this.reservation(mode, userId, meter, amount, key);
    const [counted] = await namedQuery<ReservationResult>(
      manager,
      'billing.count-within-limit',
      COUNT_WITHIN_LIMIT,
      reservation.values,
    );
    await this.settle(manager, reservation, counted);
  }

  /** The reservation's parameters, in the order of reservationCtes(). */
  private reservation(
    mode: Mode,
    userId: string,
    meter: Meter,
    amount: number,
    key: string,
  ): PlannedCount {
    const period = periodStartOf(this.clock.now());
    const delta = mode === 'release' ? -amount : amount;
    const needsRoomIn = mode === 'reserve' ? (NEEDS_ROOM_IN[meter] ?? null) : null;
    return {
      mode,
      userId,
      meter,
      delta,
      period,
      values: [userId, meter, delta, period, key, needsRoomIn],
    };
  }

  /** Done when the fast path counted it (or had counted it before); the slow path otherwise. */
  private async settle(
    manager: EntityManager,
    { mode, userId, meter, delta, period }: PlannedCount,
    result: ReservationResult,
  ): Promise<void> {
    if (!result.billing_fresh || result.billing_used !== null) return;
    await this.countBeyondFastPath(manager, mode, userId, meter, delta, period);
  }

  /**
   * The counter row is missing (first use in the period) or the limit is in the way: make the
   * row, lock it, then count within the limit, or pay the overage with credits, or refuse.
   */
  private async countBeyondFastPath(
    manager: EntityManager,
    mode: Mode,
    userId: string,
    meter: Meter,
    delta: number,
    period: Date,
  ): Promise<void> {
    const needsRoomIn = NEEDS_ROOM_IN[meter];
    if (mode === 'reserve' && needsRoomIn) {
      const rows = (await manager.query(
        STANDING,
        this.standingValues(userId, needsRoomIn),
      )) as StandingWithBalance[];
      this.assertStandingAllows(rows[0], needsRoomIn, 1);
    }
    await this.subscriptions.ensure(manager, userId);
    await manager.query(ENSURE_COUNTER, [userId, period, meter, isLevelMeter(meter)]);
    const [row] = (await manager.query(LOCK_COUNTER, [userId, period, meter])) as Standing[];
    const used = Number(row.used);
    const limit = toNumber(row.limit);
    const price = toNumber(row.price);
    if (delta > 0 && limit !== null && used + delta > limit) {
      const cost = price === null ? null : overageCostOf(meter, used, delta, limit, price);
      const charge = { userId, meter, period, cents: cost ?? 0 };
      if (mode === 'reserve') {
        if (cost === null || !(await this.credits.consume(manager, charge, 'all-or-nothing'))) {
          throw new QuotaExceededException(meter, limit, used);
        }
      } else if (cost !== null) {
        await this.credits.consume(manager, charge, 'as-much-as-there-is');
      }
    }
    await manager.query(ADD_TO_COUNTER, [userId, period, meter, delta]);
  }
}
