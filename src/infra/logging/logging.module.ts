import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { Logger } from 'pino';
import { AppConfig } from '../../config/app-config';

/** Paths pino blanks out so that credentials never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.key',
  '*.apiKey',
];

/** The root pino logger; request lines are written with it by src/http/request-hooks.ts. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * JSON logs through nestjs-pino. Its per-request middleware (a pino-http child logger and an
 * AsyncLocalStorage scope for every request) cost about a tenth of the CPU of a small request
 * here, so it is mounted on no route; one line per request is written when the answer is sent,
 * with the request id, and errors carry the request id explicitly.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const logger: Logger = pino({
      level: config.log.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { pid: process.pid, role: config.role },
    });
    return {
      module: LoggingModule,
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] })],
      providers: [{ provide: ROOT_LOGGER, useValue: logger }],
      exports: [ROOT_LOGGER],
    };
  }
}
