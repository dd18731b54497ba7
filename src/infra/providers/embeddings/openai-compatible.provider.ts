import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddingsProvider, EmbedOptions } from './embeddings-provider';
import { parseRetryAfter } from '../http/retry-after';
import { ProviderError } from '../provider-error';

export interface OpenAiCompatibleEmbeddingsOptions {
  /** The API's root, e.g. https://api.openai.com/v1; requests go to {baseUrl}/embeddings. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; a key given to embed() takes its place. */
  apiKey?: string;
  model: string;
  /** The length of the model's vectors: an answer with any other length is an error. */
  dimension: number;
  /** Texts per request. Smaller requests cost less to retry; OpenAI takes up to 2048. */
  batchSize?: number;
  /** Tries after the first for a request answered 408, 429 or 5xx, or not answered in time. */
  maxRetries?: number;
  /** The longest wait for one answer. */
  requestTimeoutMs?: number;
  /** The first wait before a retry when the service sends no Retry-After; it doubles each time. */
  retryBaseDelayMs?: number;
}

/** The service failed, or answered something that is not embeddings of the configured kind. */
export class EmbeddingsServiceError extends ProviderError {
  override readonly name = 'EmbeddingsServiceError';

  constructor(
    message: string,
    /** The HTTP status the service answered, if it answered. */
    readonly status?: number,
    readonly retryable = false,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const DEFAULTS = { batchSize: 96, maxRetries: 4, requestTimeoutMs: 30_000, retryBaseDelayMs: 500 };

/** A Retry-After longer than this means "not soon": fail now rather than hold the caller. */
const MAX_RETRY_AFTER_MS = 60_000;

/** The most characters of the service's own words that an error message carries. */
const MAX_DETAIL_LENGTH = 300;

/**
 * Embeddings from any service that speaks OpenAI's embeddings API (OpenAI, Azure's v1 API,
 * vLLM, Ollama, LiteLLM, ...):
 *   POST {baseUrl}/embeddings {model, input: string[]} → {data: [{index, embedding}]}
 * Texts go in batches of `batchSize`, one batch at a time so that a large upload does not
 * trip the service's rate limit; vectors come back in the order of the texts, placed by
 * `index` (by position when a service leaves it out). Failures that may pass (408, 429, 5xx,
 * no answer) are retried with exponential backoff, or after the service's Retry-After. The
 * key never appears in an error: any text from the service is scrubbed of it, since some
 * services quote the key they were sent.
 */
export class OpenAiCompatibleEmbeddings extends EmbeddingsProvider {
  readonly model: string;
  readonly dimension: number;
  private readonly url: string;
  /** How errors name the service: its URL without the query, which may hold a secret. */
  private readonly serviceName: string;
  private readonly settings: Required<OpenAiCompatibleEmbeddingsOptions>;

  constructor(options: OpenAiCompatibleEmbeddingsOptions) {
    super();
    this.settings = {
      ...options,
      apiKey: options.apiKey ?? '',
      batchSize: options.batchSize ?? DEFAULTS.batchSize,
      maxRetries: options.maxRetries ?? DEFAULTS.maxRetries,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      retryBaseDelayMs: options.retryBaseDelayMs ?? DEFAULTS.retryBaseDelayMs,
    };
    const { batchSize, dimension, maxRetries } = this.settings;
    if (!Number.isInteger(dimension) || dimension < 1) {
      throw new RangeError(`dimension must be a positive integer, got ${dimension}`);
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
    }
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new RangeError(`maxRetries must be an integer of at least 0, got ${maxRetries}`);
    }
    this.model = options.model;
    this.dimension = dimension;
    // {baseUrl}/embeddings, keeping any query (Azure's api-version, for one).
    const url = new URL(options.baseUrl);
    if (url.username || url.password) {
      throw new RangeError('baseUrl must not hold a user or password; give the key as apiKey');
    }
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/embeddings`;
    this.url = url.href;
    this.serviceName = `the embeddings service at ${url.origin}${url.pathname}`;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let from = 0; from < texts.length; from += this.settings.batchSize) {
      const batch = texts.slice(from, from + this.settings.batchSize);
      vectors.push(...(await this.embedBatch(batch, options)));
    }
    return vectors;
  }

  private async embedBatch(batch: string[], options: EmbedOptions): Promise<number[][]> {
    const apiKey = options.apiKey ?? this.settings.apiKey;
    for (let retry = 0; ; retry++) {
      options.signal?.throwIfAborted();
      try {
        return this.readVectors(await this.request(batch, apiKey, options.signal), batch.length);
      } catch (error) {
        if (!(error instanceof EmbeddingsServiceError) || !error.retryable) throw error;
        if (retry >= this.settings.maxRetries) throw error;
        const delayMs = error.retryAfterMs ?? this.backoffMs(retry);
        if (delayMs > MAX_RETRY_AFTER_MS) throw error;
        await sleep(delayMs, undefined, { signal: options.signal });
      }
    }
  }

  /** Posts one batch and answers the parsed JSON of a 2xx answer. */
  private async request(batch: string[], apiKey: string, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.settings.requestTimeoutMs);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
    let status: number | undefined;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.model, input: batch }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      status = response.status;
      const body = await response.text();
      if (!response.ok) throw this.failure(response, body, apiKey);
      return JSON.parse(body);
    } catch (error) {
      if (error instanceof EmbeddingsServiceError) throw error;
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        const ms = this.settings.requestTimeoutMs;
        throw new EmbeddingsServiceError(
          `${this.serviceName} gave no answer within ${ms} ms`,
          status,
          true,
        );
      }
      if (error instanceof SyntaxError) {
        throw new EmbeddingsServiceError(
          `${this.serviceName} answered something other than JSON`,
          status,
        );
      }
      const what = status === undefined ? 'could not be reached' : 'broke off its answer';
      throw new EmbeddingsServiceError(
        `${this.serviceName} ${what}: ${causeOf(error)}`,
        status,
        true,
      );
    }
  }

  private failure(response: Response, body: string, apiKey: string): EmbeddingsServiceError {
    const { status } = response;
    const retryable = status === 408 || status === 429 || status >= 500;
    // Scrubbed before it is shortened, so that no part of the key can survive the cut.
    const detail = shorten(scrub(serviceMessage(body), apiKey));
    return new EmbeddingsServiceError(
      `${this.serviceName} answered ${status}${detail ? `: ${detail}` : ''}`,
      status,
      retryable,
      retryable ? parseRetryAfter(response.headers.get('retry-after')) : undefined,
    );
  }

  /** The vectors of a 2xx answer, in the order of the batch's texts. */
  private readVectors(answer: unknown, count: number): number[][] {
    const data = (answer as { data?: unknown } | null)?.data;
    if (!Array.isArray(data) || data.length !== count) {
      throw this.malformed(`expected "data" to list ${count} embeddings`);
    }
    const vectors = new Array<number[]>(count);
    data.forEach((item: { index?: unknown; embedding?: unknown } | null, position) => {
      const index = item?.index ?? position;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count) {
        throw this.malformed(`data.${position}.index is not an index of the input`);
      }
      if (vectors[index as number]) throw this.malformed(`index ${index} is listed twice`);
      const embedding = item?.embedding;
      if (!Array.isArray(embedding) || !embedding.every(Number.isFinite)) {
        throw this.malformed(`data.${position}.embedding is not an array of numbers`);
      }
      if (embedding.length !== this.dimension) {
        throw new EmbeddingsServiceError(
          `${this.serviceName} answered vectors of dimension ${embedding.length} for model ` +
            `"${this.model}", but ${this.dimension} is configured`,
        );
      }
      vectors[index as number] = embedding;
    });
    return vectors;
  }

  private malformed(reason: string): EmbeddingsServiceError {
    return new EmbeddingsServiceError(
      `${this.serviceName} answered malformed embeddings: ${reason}`,
    );
  }

  /** Doubling from the base delay, plus up to a quarter at random so that callers spread out. */
  private backoffMs(retry: number): number {
    const delayMs = this.settings.retryBaseDelayMs * 2 ** retry;
    return delayMs + (Math.random() * delayMs) / 4;
  }
}

/** OpenAI's {error: {message}}, the common {error: "..."} or {message}, else the text itself. */
function serviceMessage(body: string): string {
  let message: unknown = body;
  try {
    const parsed = JSON.parse(body) as {
      error?: { message?: unknown } | string;
      message?: unknown;
    };
    message =
      typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
  } catch {
    // Not JSON: an HTML error page or plain text, shown as it is.
  }
  return typeof message === 'string' ? message.trim() : '';
}

function shorten(text: string): string {
  return text.length > MAX_DETAIL_LENGTH ? `${text.slice(0, MAX_DETAIL_LENGTH)}…` : text;
}

function scrub(text: string, apiKey: string): string {
  return apiKey ? text.split(apiKey).join('[redacted]') : text;
}

function causeOf(error: unknown): string {
  // fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, ...) is its cause.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return String(reason);
}
