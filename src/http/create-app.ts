import multipart from '@fastify/multipart';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module';
import { requestIdFor } from '../common/http/request-id';
import { AppConfig } from '../config/app-config';
import { mountQueueDashboard } from '../modules/queue-dashboard/queue-dashboard';
import { API_PREFIX, DOCS_PATH } from './api-prefix';
import { frameworkErrorAsProblem } from './framework-errors';
import { buildOpenApiDocument } from './openapi';
import { installRequestHooks } from './request-hooks';

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
    frameworkErrors: frameworkErrorAsProblem,
  });
  // rawBody: Stripe's webhook signature covers the exact bytes it sent (billing).
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    rawBody: true,
  });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX);

  installRequestHooks(app);
  // Uploads are streamed part by part (src/modules/media/upload-receiver.ts sets the limits).
  await app.register(multipart);

  // Without configured origins there is nothing to allow, and no CORS hook runs per request.
  if (config.http.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.http.corsOrigins.includes('*') ? true : config.http.corsOrigins,
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
    });
  }

  if (config.runsApi && config.http.swaggerEnabled) {
    SwaggerModule.setup(DOCS_PATH, app, buildOpenApiDocument(app), {
      jsonDocumentUrl: `${DOCS_PATH}-json`,
    });
  }
  if (config.runsApi) await mountQueueDashboard(app);
  return app;
}
