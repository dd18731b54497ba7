import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { problemContent } from '../common/problem/api-problem-response';
import { ProblemDetails } from '../common/problem/problem-details';
import { version } from '../../package.json';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/load-config';
import { API_PREFIX } from './api-prefix';

const PROBLEM_RESPONSE = {
  description: 'An error, as RFC 9457 problem details',
  content: problemContent(),
};

/**
 * Every route needs a bearer token or an API key unless it is @Public(); every operation may
 * answer problem+json. Both facts are stamped on the document here rather than on each route.
 */
function applyConventions(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const isPublic = operation['x-kiln-public'] === true;
      delete operation['x-kiln-public'];
      operation.security = isPublic ? [] : [{ bearer: [] }, { 'api-key': [] }];
      operation.responses.default ??= PROBLEM_RESPONSE;
    }
  }
  return document;
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Kiln API')
    .setDescription(
      'Auth, projects, media jobs, conversations, embeddings and billing for AI media and chat products.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDetails],
    operationIdFactory: (controller, method) =>
      `${controller.replace(/Controller$/, '')}_${method}`,
  });
  return applyConventions(document);
}

/**
 * The document as openapi.json holds it: built in preview mode (nothing connects to PostgreSQL
 * or Redis) from the default configuration, so it depends on the code alone.
 */
export async function renderOpenApiJson(): Promise<string> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), new FastifyAdapter(), {
    preview: true,
    logger: false,
  });
  app.setGlobalPrefix(API_PREFIX);
  const document = buildOpenApiDocument(app);
  await app.close();
  return `${JSON.stringify(document, null, 2)}\n`;
}
