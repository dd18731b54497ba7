import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REQUEST_ID_HEADER } from '../common/http/request-id';
import { LifecycleService } from '../infra/lifecycle/lifecycle.service';
import { MetricsService } from '../modules/metrics/metrics.service';
import { securityHeaders } from './security-headers';

/**
 * Fastify hooks every request passes through, including those no Nest route matches:
 * security headers and the request id, connection handling while draining, and metrics.
 */
export function installRequestHooks(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  const lifecycle = app.get(LifecycleService);
  const headers = securityHeaders();

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
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
    done();
  });
}
