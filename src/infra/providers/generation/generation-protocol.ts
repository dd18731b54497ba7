/**
 * The answers of an external generation service under Kiln's protocol (documented on
 * HttpGenerationProvider), checked before use: the service is outside Kiln's control, and a
 * wrong shape must fail the job with a clear message rather than somewhere further on.
 */

export type RemoteGeneration = { id: string; progress?: number; error?: string } & (
  | { status: 'queued' | 'running' | 'failed'; videoUrl?: string }
  | { status: 'succeeded'; videoUrl: string }
);

/** The service failed, refused, could not be reached, or answered outside the protocol. */
export class GenerationServiceError extends Error {
  override readonly name = 'GenerationServiceError';

  /** Present when trying again may help; `afterMs` is the service's own Retry-After. */
  readonly retry?: { afterMs?: number };

  constructor(message: string, retry?: { afterMs?: number }) {
    super(message);
    this.retry = retry;
  }
}

const STATUSES = new Set(['queued', 'running', 'succeeded', 'failed']);

export function parseGeneration(text: string): RemoteGeneration {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed('not a JSON object');
  }
  // Many services send null for fields that do not apply yet; that means absent here.
  const { id, status, progress, error, videoUrl } = Object.fromEntries(
    Object.entries(value).filter(([, field]) => field !== null),
  ) as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') throw malformed('no generation id');
  if (typeof status !== 'string' || !STATUSES.has(status)) throw malformed('unknown status');
  if (progress !== undefined && !(typeof progress === 'number' && progress >= 0 && progress <= 100))
    throw malformed('progress is not a number from 0 to 100');
  if (error !== undefined && typeof error !== 'string') throw malformed('error is not a string');
  if (videoUrl !== undefined && (typeof videoUrl !== 'string' || videoUrl === ''))
    throw malformed('videoUrl is not a URL');
  if (status === 'succeeded' && videoUrl === undefined)
    throw malformed('a succeeded generation without videoUrl');
  return { id, status, progress, error, videoUrl } as RemoteGeneration;
}

function malformed(problem: string): GenerationServiceError {
  return new GenerationServiceError(`The generation service sent a malformed answer: ${problem}`);
}
