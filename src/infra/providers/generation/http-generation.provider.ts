import { setTimeout as sleep } from 'node:timers/promises';
import {
  MediaCancelledError,
  MediaTimeoutError,
  RunOptions,
} from '../../media-toolkit/media-toolkit';
import { GenerationProvider, GenerationRequest } from './generation-provider';
import { serviceText } from '../http/service-answers';
import { GenerationServiceError } from './generation-protocol';
import { GenerationServiceClient } from './generation-service-client';
import { downloadVideo } from './video-download';

export interface HttpGenerationOptions {
  /** The service's root, e.g. https://video.example.com/v1; protocol paths are relative to it. */
  baseUrl: string;
  apiKey?: string;
  /** For jobs that name no model; without either, the request names none and the service picks. */
  defaultModel?: string;
  /** Time between status requests, and the first delay before retrying a failed request. */
  pollIntervalMs: number;
  /** The longest wait for one answer, or during the download for the next chunk of the video. */
  requestTimeoutMs: number;
}

/** Without a timeoutMs from the caller; the same as MEDIA_TIMEOUT_SEC's default. */
const DEFAULT_TIMEOUT_MS = 30 * 60_000;
// setTimeout (and so AbortSignal.timeout) fires at once for delays past this (about 24.8 days).
const MAX_TIMER_MS = 2_147_483_647;
/** The service's progress fills 0..90, the download 90..99; 100 once the file is in place. */
const GENERATION_SHARE = 90;
/** Download progress arrives per chunk; at most this often it becomes a report. */
const DOWNLOAD_REPORT_MS = 250;

/**
 * Generation by an external text-to-video service over HTTP, under a small protocol of Kiln's
 * own (there is no standard one), shaped like the common asynchronous generation APIs:
 *
 *   POST {baseUrl}/generations  {prompt, model?, resolution, quality, durationSec}
 *                               → 2xx {id, status}
 *   GET  {baseUrl}/generations/{id}
 *                               → 2xx {id, status, progress?, error?, videoUrl?}
 *   POST {baseUrl}/generations/{id}/cancel  (best effort; the answer is ignored)
 *   GET  {videoUrl}             → 2xx the MP4
 *
 * status is queued | running | succeeded | failed; progress is 0..100; error says why a
 * generation failed; videoUrl, required once succeeded, is absolute or relative to baseUrl.
 * Requests carry `Authorization: Bearer <apiKey>` when a key is set (the download only on
 * baseUrl's origin) and submissions an Idempotency-Key kept across retries. Error answers may
 * be `{error: "..."}`; 408, 429 and 5xx are retried a few times, honouring Retry-After.
 */
export class HttpGenerationProvider extends GenerationProvider {
  readonly name = 'http';
  private readonly service: GenerationServiceClient;

  constructor(private readonly options: HttpGenerationOptions) {
    super();
    this.service = new GenerationServiceClient({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      requestTimeoutMs: options.requestTimeoutMs,
      retryBaseDelayMs: options.pollIntervalMs,
    });
  }

  async generate(request: GenerationRequest, outputPath: string, run: RunOptions): Promise<void> {
    const timeoutMs = Math.min(Math.max(0, run.timeoutMs ?? DEFAULT_TIMEOUT_MS), MAX_TIMER_MS);
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = run.signal ? AbortSignal.any([run.signal, deadline]) : deadline;
    const report = progressReporter(run.onProgress);
    try {
      signal.throwIfAborted();
      const videoUrl = await this.awaitVideo(request, signal, report);
      const { url, headers } = this.service.videoRequest(videoUrl);
      await downloadVideo(url, outputPath, {
        headers,
        signal,
        stallTimeoutMs: this.options.requestTimeoutMs,
        onFraction: (fraction) =>
          report(GENERATION_SHARE + Math.floor(fraction * (99 - GENERATION_SHARE)), true),
      });
    } catch (error) {
      if (run.signal?.aborted) throw new MediaCancelledError('The generation was cancelled');
      if (deadline.aborted) {
        throw new MediaTimeoutError('The generation did not finish within the time limit');
      }
      throw error;
    }
    report(100);
  }

  /** Submits, then polls until the generation has ended; the finished video's URL. */
  private async awaitVideo(
    request: GenerationRequest,
    signal: AbortSignal,
    report: (percent: number) => void,
  ): Promise<string> {
    const { prompt, resolution, quality, durationSec } = request;
    const model = request.model ?? this.options.defaultModel;
    let generation = await this.service.submit(
      { prompt, model, resolution, quality, durationSec },
      signal,
    );
    try {
      while (generation.status === 'queued' || generation.status === 'running') {
        report(Math.floor(((generation.progress ?? 0) * GENERATION_SHARE) / 100));
        await sleep(this.options.pollIntervalMs, undefined, { signal });
        generation = await this.service.status(generation.id, signal);
      }
    } catch (error) {
      // Kiln gives up on a generation still under way: ask the service to stop spending on it.
      await this.service.cancel(generation.id);
      throw error;
    }
    if (generation.status === 'succeeded') return generation.videoUrl;
    const reason = serviceText(generation.error ?? '', this.options.apiKey) || 'no reason given';
    throw new GenerationServiceError(`The generation service could not make the video: ${reason}`);
  }
}

/** Reports whole percentages that only go up; throttled ones (per download chunk) 4 a second. */
function progressReporter(onProgress?: (percent: number) => void) {
  let last = -1;
  let lastAt = Number.NEGATIVE_INFINITY;
  return (percent: number, throttled = false): void => {
    const now = Date.now();
    if (percent <= last || (throttled && now - lastAt < DOWNLOAD_REPORT_MS)) return;
    last = percent;
    lastAt = now;
    onProgress?.(percent);
  };
}
