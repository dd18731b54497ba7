import {
  BadRequestException,
  ConflictException,
  Injectable,
  UnprocessableEntityException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, Repository } from 'typeorm';
import { IdempotencyRecord } from './entities/idempotency-record.entity';

const RETENTION_MS = 24 * 60 * 60 * 1000;

/** The length of the `key` column. */
const MAX_KEY_LENGTH = 255;

export interface IdempotentRequest {
  ownerId: string;
  scope: string;
  /** The Idempotency-Key header; without one the work simply runs. */
  key: string | undefined;
  fingerprint: string;
}

export interface Answer<T> {
  status: number;
  body: T;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** A key taken by a request under way: its answer is stored, or the key is freed for a retry. */
export interface Claim<T> {
  complete(status: number, body: T): Promise<void>;
  abandon(): Promise<void>;
}

/** Without a key there is nothing to claim. */
const UNCLAIMED: Claim<never> = { complete: async () => undefined, abandon: async () => undefined };

/**
 * `Idempotency-Key` for the routes that create things: a repeat of a request within 24 hours
 * by the same caller gets the first answer and creates nothing; the same key with a different
 * request is 422; a repeat while the first is still running is 409. A request that fails keeps
 * no record, so it can be retried with the same key.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    @InjectRepository(IdempotencyRecord) private readonly records: Repository<IdempotencyRecord>,
  ) {}

  async run<T>(
    request: IdempotentRequest,
    status: number,
    work: () => Promise<T>,
  ): Promise<Answer<T>> {
    const begun = await this.begin<T>(request);
    if ('replay' in begun) return begun.replay;
    try {
      const body = await work();
      await begun.claim.complete(status, body);
      return { status, body, replayed: false };
    } catch (error) {
      await begun.claim.abandon();
      throw error;
    }
  }

  /**
   * run() in two steps, for work that outlives the call (a streamed answer): the earlier answer
   * to replay, or a claim on the key that the caller completes with its answer or abandons.
   */
  async begin<T>(request: IdempotentRequest): Promise<{ replay: Answer<T> } | { claim: Claim<T> }> {
    if (!request.key) return { claim: UNCLAIMED };
    if (request.key.length > MAX_KEY_LENGTH) {
      throw new BadRequestException(
        `The Idempotency-Key header is longer than ${MAX_KEY_LENGTH} characters.`,
      );
    }
    const claimed = await this.claim(request);
    if (!claimed) return { replay: await this.replay<T>(request) };
    return {
      claim: {
        complete: async (status, body) => {
          await this.records.update({ id: claimed }, { status, body: body as object });
        },
        abandon: async () => {
          await this.records.delete({ id: claimed });
        },
      },
    };
  }

  /** Inserts the record; null when one exists already (a repeat). Expired records make way. */
  private async claim(request: IdempotentRequest): Promise<string | null> {
    const { ownerId, scope, key, fingerprint } = request;
    await this.records.delete({
      ownerId,
      scope,
      key,
      createdAt: LessThan(new Date(Date.now() - RETENTION_MS)),
    });
    const inserted = await this.records
      .createQueryBuilder()
      .insert()
      .values({ ownerId, scope, key, fingerprint })
      .orIgnore()
      .returning('id')
      .execute();
    return (inserted.raw as { id: string }[])[0]?.id ?? null;
  }

  private async replay<T>(request: IdempotentRequest): Promise<Answer<T>> {
    const { ownerId, scope, key } = request;
    const record = await this.records.findOneByOrFail({ ownerId, scope, key });
    if (record.fingerprint !== request.fingerprint) {
      throw new UnprocessableEntityException(
        'This Idempotency-Key was already used with a different request.',
      );
    }
    if (record.status === null) {
      throw new ConflictException('A request with this Idempotency-Key is still being processed.');
    }
    return { status: record.status, body: record.body as T, replayed: true };
  }
}
