import { DynamicModule, Module, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { AppModule } from '../../src/app.module';
import { AppConfig } from '../../src/config/app-config';
import { createApp } from '../../src/http/create-app';
import { testConfig } from './test-config';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: TestAgent;
  close(): Promise<void>;
}

@Module({})
class TestRootModule {}

/**
 * Starts the real application on an ephemeral port of 127.0.0.1, so suites talk to it over HTTP.
 * `fixtures` are extra modules some suites mount beside it.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  fixtures: Type[] = [],
): Promise<TestApp> {
  const config = testConfig(env);
  const root: DynamicModule = {
    module: TestRootModule,
    imports: [AppModule.forRoot(config), ...fixtures],
  };
  const app = await createApp(config, root);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    close: () => app.close(),
  };
}
