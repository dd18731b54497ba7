import helmet from '@fastify/helmet';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { REQUEST_ID_HEADER, requestIdFor } from '../common/http/request-id';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../modules/metrics/metrics.service';
import { API_PREFIX } from './api-prefix';
import { buildOpenApiDocument } from './openapi';

/** Swagger UI's inline bootstrap script and styles need these; everything else stays 'self'. */
const CONTENT_SECURITY_POLICY = {
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
  },
};

/**
 * Builds the application for a configuration, fully wired but not yet listening. Tests may hand
 * in a root module that adds fixtures around AppModule.
 */
export async function createApp(
  config: AppConfig,
  rootModule: DynamicModule = AppModule.forRoot(config),
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    genReqId: requestIdFor,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(MetricsService);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(route, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  await app.register(helmet, { contentSecurityPolicy: CONTENT_SECURITY_POLICY });
  app.enableCors({
    origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  });

  if (config.runsApi && config.http.swaggerEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  }
  return app;
}
