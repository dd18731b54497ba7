import { redactPaths } from '../../media-toolkit/redact-paths';

/** How much of a service's own words an error message quotes. */
const SERVICE_TEXT_CHARS = 300;

/** The `error` of an error answer (`{error: string}` or `{error: {message}}`), if it has one. */
export function errorDetail(text: string): string | undefined {
  try {
    const { error } = JSON.parse(text) as { error?: unknown };
    if (typeof error === 'string') return error;
    const message = (error as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Text written by the service, made fit for a job's error (which API clients read): without the
 * API key should the service echo it, without file system paths, on one line, and short.
 */
export function serviceText(text: string, apiKey?: string): string {
  const withoutKey = apiKey ? text.split(apiKey).join('[key]') : text;
  return redactPaths(withoutKey).replace(/\s+/g, ' ').trim().slice(0, SERVICE_TEXT_CHARS);
}

/** fetch's TypeError says only "fetch failed"; the cause has the system's code (ECONNREFUSED). */
export function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}
