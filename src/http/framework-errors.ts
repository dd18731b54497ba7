import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from '../common/http/request-id';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemDetails,
  statusTitle,
} from '../common/problem/problem-details';
import { API_SECURITY_HEADERS } from './security-headers';

/**
 * Fastify's router refuses some URLs itself — a broken percent-escape (400), a path parameter
 * longer than maxParamLength (414) — before any hook or Nest filter runs. This answers them as
 * problem+json like every other error, instead of Fastify's own JSON.
 */
export function frameworkErrorAsProblem(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode ?? 400;
  const body: ProblemDetails = {
    type: 'about:blank',
    title: statusTitle(status),
    status,
    detail: error.message,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
  };
  void reply
    .status(status)
    .headers(API_SECURITY_HEADERS)
    .header(REQUEST_ID_HEADER, request.id)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(body));
}
