import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, statusTitle } from './problem-details';
import { toProblem } from './to-problem';

/** The one place where errors become answers: RFC 9457 problem+json, never a stack trace. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(exception);

    if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }
    const body: ProblemDetails = {
      type: problem.type ?? 'about:blank',
      title: statusTitle(problem.status),
      status: problem.status,
      detail: problem.detail,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
      ...problem.extensions,
    };
    if (reply.sent) return;
    void reply
      .status(problem.status)
      .headers(problem.headers ?? {})
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(body));
  }
}
