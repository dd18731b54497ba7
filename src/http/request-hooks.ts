import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { NotFoundException } from '@nestjs/common';
import { REQUEST_ID_HEADER } from '../common/http/request-id';
import { AppConfig } from '../config/app-config';
import { LifecycleService } from '../infra/lifecycle/lifecycle.service';
import { ROOT_LOGGER } from '../infra/logging/logging.module';
import { MetricsService } from '../modules/metrics/metrics.service';
import { API_PREFIX, DOCS_PATH } from './api-prefix';

const WORKER_ROUTES = [`/${API_PREFIX}/health/`, `/${API_PREFIX}/metrics`];
import { API_SECURITY_HEADERS, docsSecurityHeaders } from './security-headers';

/**
 * Fastify hooks every request passes through, including those no Nest route matches:
 * security headers and the request id, connection handling while draining, the request log
 * line and metrics.
 */
export function installRequestHooks(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  const lifecycle = app.get(LifecycleService);
  const logger = app.get<Logger>(ROOT_LOGGER);
  const docsHeaders = docsSecurityHeaders();

  // The worker role serves its probes and metrics only, whatever modules it loaded.
  const servesOnly = app.get(AppConfig).runsApi ? null : WORKER_ROUTES;
  fastify.addHook('onRequest', (request, reply, done) => {
    const headers = request.url.startsWith(`/${DOCS_PATH}`) ? docsHeaders : API_SECURITY_HEADERS;
    void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
    if (servesOnly && !servesOnly.some((prefix) => request.url.startsWith(prefix))) {
      done(new NotFoundException(`Cannot ${request.method} ${request.url.split('?')[0]}`));
      return;
    }
    done();
  });
  // Answers sent while draining close their connection, so keep-alive clients do not hold
  // the shutdown open until their idle timeout.
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (lifecycle.isDraining) void reply.header('connection', 'close');
    done(null, payload);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
    if (logger.isLevelEnabled('info')) {
      logger.info(
        {
          reqId: request.id,
          req: { method: request.method, url: request.url, remoteAddress: request.ip },
          res: { statusCode: reply.statusCode },
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}
