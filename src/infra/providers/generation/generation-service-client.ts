import { randomUUID } from 'node:crypto';
import { errorDetail, networkCode, serviceText } from '../http/service-answers';
import { GenerationServiceError, parseGeneration, RemoteGeneration } from './generation-protocol';
import { parseRetryAfter } from '../http/retry-after';
import { withRetries } from './retry';

export interface GenerationServiceClientOptions {
  baseUrl: string;
  apiKey?: string;
  requestTimeoutMs: number;
  retryBaseDelayMs: number;
}

export interface GenerationSubmission {
  prompt: string;
  model?: string;
  resolution: string;
  quality: string;
  durationSec: number;
}

/**
 * The requests of Kiln's generation protocol, each with its own time limit, retried on answers
 * that say "try again" (408, 429, 5xx) and on network failures or request timeouts. Error
 * messages carry neither URLs nor the key.
 */
export class GenerationServiceClient {
  /** With a trailing slash, so relative references resolve below its path, not beside it. */
  private readonly base: URL;

  constructor(private readonly options: GenerationServiceClientOptions) {
    this.base = new URL(options.baseUrl.replace(/\/*$/, '/'));
  }

  submit(submission: GenerationSubmission, signal: AbortSignal): Promise<RemoteGeneration> {
    // The same key on every retry lets the service see that a retried POST is not a second job.
    const headers = { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() };
    const body = JSON.stringify(submission);
    return withRetries(
      async () =>
        parseGeneration(
          await this.send('generations', 'the request to start a generation', signal, {
            method: 'POST',
            headers,
            body,
          }),
        ),
      this.options.retryBaseDelayMs,
      signal,
    );
  }

  status(id: string, signal: AbortSignal): Promise<RemoteGeneration> {
    return withRetries(
      async () =>
        parseGeneration(
          await this.send(`generations/${encodeURIComponent(id)}`, 'the status request', signal),
        ),
      this.options.retryBaseDelayMs,
      signal,
    );
  }

  /** Best effort and never throws: the caller is giving up on the generation either way. */
  async cancel(id: string): Promise<void> {
    const path = `generations/${encodeURIComponent(id)}/cancel`;
    await this.send(path, 'the cancel request', undefined, { method: 'POST' }).catch(
      () => undefined,
    );
  }

  /**
   * Where to download a finished video from: videoUrl is absolute or relative to the base URL.
   * The key goes only to the service's own origin; elsewhere (a storage bucket's signed URL,
   * say) it would be handing the key to a third party.
   */
  videoRequest(videoUrl: string): { url: URL; headers: Record<string, string> } {
    const url = URL.canParse(videoUrl, this.base.href) ? new URL(videoUrl, this.base) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
      throw new GenerationServiceError(
        'The generation service sent a malformed answer: bad videoUrl',
      );
    }
    return { url, headers: url.origin === this.base.origin ? this.authorization() : {} };
  }

  /** One request and its whole answer, within requestTimeoutMs; the answer's text when 2xx. */
  private async send(
    path: string,
    action: string,
    signal: AbortSignal | undefined,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<string> {
    const { requestTimeoutMs, apiKey } = this.options;
    const timeout = AbortSignal.timeout(requestTimeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.base), {
        ...init,
        headers: { Accept: 'application/json', ...this.authorization(), ...init.headers },
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      // The caller's signal: cancelled or out of time, which the provider reports itself.
      if (signal?.aborted) throw error;
      throw new GenerationServiceError(
        timeout.aborted
          ? `The generation service did not answer ${action} within ${requestTimeoutMs} ms`
          : `The generation service could not be reached for ${action} (${networkCode(error)})`,
        {},
      );
    }
    if (response.ok) return text;
    const detail = errorDetail(text);
    const transient = response.status === 408 || response.status === 429 || response.status >= 500;
    throw new GenerationServiceError(
      `The generation service answered ${response.status} to ${action}` +
        (detail ? `: ${serviceText(detail, apiKey)}` : ''),
      transient ? { afterMs: parseRetryAfter(response.headers.get('retry-after')) } : undefined,
    );
  }

  private authorization(): Record<string, string> {
    return this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {};
  }
}
