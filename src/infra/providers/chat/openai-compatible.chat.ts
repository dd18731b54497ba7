import { setTimeout as sleep } from 'node:timers/promises';
import { errorDetail, networkCode, serviceText } from '../http/service-answers';
import { parseRetryAfter } from '../http/retry-after';
import {
  ChatDelta,
  ChatProvider,
  ChatProviderError,
  ChatRequest,
  ChatResult,
} from './chat-provider';
import { IdleTimeout } from './idle-timeout';
import { parseStreamChunk } from './openai-stream-chunk';
import { citedPassages, withPassages } from './passage-context';
import { readSse } from './sse-parser';

export interface OpenAiCompatibleChatOptions {
  /** The API's root, e.g. https://api.openai.com/v1; requests go to {baseUrl}/chat/completions. */
  baseUrl: string;
  /** Sent as a bearer token; a request's own key takes its place. */
  apiKey?: string;
  /** For requests that name no model. */
  model: string;
  /** The longest wait for the answer to start, and then for each next piece of it. */
  requestTimeoutMs: number;
  /** How many times a 429 or 5xx answer is retried; never once the answer has started. */
  maxRetries: number;
  /** The first wait before a retry, doubling after; the service's Retry-After takes precedence. */
  retryBaseDelayMs?: number;
}

const DEFAULT_RETRY_BASE_DELAY_MS = 500;
/** Someone is waiting for the answer: a service that asks for a longer pause fails now. */
const MAX_RETRY_WAIT_MS = 10_000;

/**
 * A language model behind the OpenAI chat completions API, which many servers speak (OpenAI,
 * vLLM, llama.cpp, Ollama, LiteLLM...). The passages go to the model as numbered context in the
 * system message, and the answer streams back as server-sent events, each delta passed on as it
 * arrives. 429 and 5xx answers are retried, but only before the answer starts: after that a
 * retry would repeat what the consumer already has. Aborting the request's signal, or
 * stopping the iteration early, closes the upstream request. Error messages carry neither the
 * URL nor the key.
 */
export class OpenAiCompatibleChat extends ChatProvider {
  readonly name = 'openai-compatible';
  private readonly endpoint: URL;

  constructor(private readonly options: OpenAiCompatibleChatOptions) {
    super();
    // With a trailing slash the path resolves below baseUrl's path, not beside it.
    this.endpoint = new URL('chat/completions', options.baseUrl.replace(/\/*$/, '/'));
  }

  async *stream(request: ChatRequest): AsyncGenerator<ChatDelta, ChatResult, void> {
    const model = request.model ?? this.options.model;
    const apiKey = request.apiKey ?? this.options.apiKey;
    const idle = new IdleTimeout(this.options.requestTimeoutMs);
    // Aborted when this generator ends for any reason, so the upstream request never outlives it.
    const ended = new AbortController();
    const signals = [ended.signal, idle.signal, ...(request.signal ? [request.signal] : [])];
    const signal = AbortSignal.any(signals);
    let started = false;
    try {
      const messages = withPassages(request.messages, request.passages);
      const response = await this.open(JSON.stringify({ model, messages, stream: true }), {
        apiKey,
        signal,
        idle,
      });
      started = true;
      let content = '';
      let answeredBy = model;
      let complete = false;
      for await (const event of readSse(chunksOf(response.body, idle))) {
        if (event.data === '[DONE]') {
          complete = true;
          break;
        }
        const chunk = parseStreamChunk(event.data, apiKey);
        answeredBy = chunk.model ?? answeredBy;
        complete ||= chunk.finished;
        if (chunk.content === '') continue;
        content += chunk.content;
        yield { content: chunk.content };
      }
      if (!complete) throw new ChatProviderError('The chat service ended the answer unfinished');
      return { content, citations: citedPassages(content, request.passages), model: answeredBy };
    } catch (error) {
      throw failure(error, { signal: request.signal, idle, started });
    } finally {
      idle.stop();
      ended.abort();
    }
  }

  /** Sends the request, retrying 429 and 5xx answers; the response once it is a 2xx. */
  private async open(
    body: string,
    { apiKey, signal, idle }: { apiKey?: string; signal: AbortSignal; idle: IdleTimeout },
  ): Promise<Response> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'text/event-stream',
      ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
    };
    for (let retry = 0; ; retry++) {
      idle.start();
      const response = await fetch(this.endpoint, { method: 'POST', headers, body, signal });
      if (response.ok) return response;
      const detail = errorDetail(await response.text());
      idle.stop();
      const waitMs = this.retryWaitMs(response, retry);
      if (waitMs === undefined) {
        throw new ChatProviderError(
          `The chat service answered ${response.status}` +
            (detail ? `: ${serviceText(detail, apiKey)}` : ''),
        );
      }
      await sleep(waitMs, undefined, { signal });
    }
  }

  /** How long to wait before retrying, or undefined when the answer is final. */
  private retryWaitMs(response: Response, retry: number): number | undefined {
    const transient = response.status === 429 || response.status >= 500;
    if (!transient || retry >= this.options.maxRetries) return undefined;
    const baseMs = this.options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    // Up to a quarter more at random, so that many clients turned away at once spread out.
    const backoffMs = baseMs * 2 ** retry * (1 + Math.random() / 4);
    const waitMs = parseRetryAfter(response.headers.get('retry-after')) ?? backoffMs;
    return waitMs <= MAX_RETRY_WAIT_MS ? waitMs : undefined;
  }
}

/**
 * The body's chunks, timing only the waits for the service: not the time the consumer takes
 * over a delta. Any chunk shows the service alive, keep-alive comments included.
 */
async function* chunksOf(body: Response['body'], idle: IdleTimeout): AsyncGenerator<Uint8Array> {
  if (!body) return;
  idle.start();
  for await (const chunk of body) {
    idle.stop();
    yield chunk;
    idle.start();
  }
}

/** What the consumer gets when the answer failed: its own abort reason, or a clear error. */
function failure(
  error: unknown,
  { signal, idle, started }: { signal?: AbortSignal; idle: IdleTimeout; started: boolean },
): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ChatProviderError) return error;
  if (idle.fired) {
    return new ChatProviderError(
      started
        ? `The chat service sent nothing more for ${idle.ms} ms during the answer`
        : `The chat service did not answer within ${idle.ms} ms`,
    );
  }
  if (!isNetworkFailure(error)) return error;
  return new ChatProviderError(
    started
      ? `The connection to the chat service broke during the answer (${networkCode(error)})`
      : `The chat service could not be reached (${networkCode(error)})`,
  );
}

/**
 * fetch reports network failures as TypeErrors caused by the system's error; any other error is
 * a fault here and must surface as itself. By name: fetch's errors may come from another realm.
 */
function isNetworkFailure(error: unknown): boolean {
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: unknown };
  return name === 'TypeError' && cause !== undefined;
}
