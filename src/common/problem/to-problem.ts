import { HttpException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProviderError } from '../../infra/providers/provider-error';
import { ProblemException } from './problem.exception';

export interface ProblemParts {
  status: number;
  detail: string;
  type?: string;
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** PostgreSQL error codes that mean the client asked for something the data does not allow. */
const POSTGRES_CLIENT_ERRORS: Record<string, ProblemParts> = {
  '23505': { status: 409, detail: 'A resource with the same unique value already exists.' },
  '23503': {
    status: 409,
    detail: 'The request refers to a resource that does not exist or is in use.',
  },
  '22P02': { status: 400, detail: 'A value in the request has the wrong format.' },
  // Found by the fuzz suite (test/fuzz.e2e-spec.ts): input the validators let through.
  '22001': { status: 400, detail: 'A value in the request is too long.' },
  '22003': { status: 400, detail: 'A number in the request is out of range.' },
  '22021': { status: 400, detail: 'A text in the request holds a NUL character.' },
  '22P05': { status: 400, detail: 'A JSON value in the request holds a NUL character.' },
  '23502': { status: 400, detail: 'A value the request sets to null is required.' },
};

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Errors that say PostgreSQL (or the road to it) is down rather than that the request was
 * wrong: refused or dropped connections, class 08 (connection exception) and 57P0x (the
 * server shutting down, crashed or still starting). The pool reconnects on its own.
 */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);

function isDependencyUnavailable(exception: unknown): boolean {
  // Duck-typed: errors of Node's socket layer may come from another realm than `Error` here.
  const error = (exception instanceof QueryFailedError ? exception.driverError : exception) as {
    code?: unknown;
    message?: unknown;
  } | null;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error;
  if (typeof code === 'string') {
    return UNAVAILABLE_CODES.has(code) || code.startsWith('08') || code.startsWith('57P0');
  }
  // node-postgres's own words when the server goes away mid-query.
  return typeof message === 'string' && message.startsWith('Connection terminated');
}

/** Fastify's own errors (bad JSON, body too large, unsupported media type) carry a 4xx statusCode. */
function isFastifyClientError(e: unknown): e is Error & { statusCode: number; code: string } {
  const candidate = e as { statusCode?: unknown; code?: unknown };
  return (
    e instanceof Error &&
    typeof candidate.statusCode === 'number' &&
    candidate.statusCode >= 400 &&
    candidate.statusCode < 500 &&
    typeof candidate.code === 'string' &&
    candidate.code.startsWith('FST_')
  );
}

/** Maps anything thrown while handling a request to the parts of a problem+json answer. */
export function toProblem(exception: unknown): ProblemParts {
  if (exception instanceof ProblemException) {
    return {
      status: exception.getStatus(),
      detail: httpExceptionDetail(exception),
      type: exception.type,
      extensions: exception.extensions,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException) {
    return { status: exception.getStatus(), detail: httpExceptionDetail(exception) };
  }
  if (isFastifyClientError(exception)) {
    const detail =
      exception.statusCode === 400 && exception.code.startsWith('FST_ERR_CTP')
        ? `The request body could not be parsed: ${exception.message}`
        : exception.message;
    return { status: exception.statusCode, detail };
  }
  if (exception instanceof ProviderError) {
    return { status: 502, detail: exception.message };
  }
  if (isDependencyUnavailable(exception)) {
    return {
      status: 503,
      detail: 'A service this request needs is unavailable; try again shortly.',
      headers: { 'Retry-After': '2' },
    };
  }
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code;
    const known = code ? POSTGRES_CLIENT_ERRORS[code] : undefined;
    if (known) return known;
  }
  return {
    status: 500,
    detail: 'An unexpected error occurred. Quote the request id when reporting it.',
  };
}
