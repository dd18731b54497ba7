import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

export enum AppRole {
  Api = 'api',
  Worker = 'worker',
  All = 'all',
}

/** Development defaults of the secrets; .env.example shows the same values. */
export const DEVELOPMENT_SECRETS = {
  JWT_SECRET: 'kiln-development-jwt-secret-change-me-in-production',
  DATA_ENCRYPTION_KEY: 'a2lsbi1kZXZlbG9wbWVudC1kYXRhLWtleS1jaGFuZ2U=',
} as const;

export type SecretName = keyof typeof DEVELOPMENT_SECRETS;

/** 32 bytes: 64 hex digits, or base64 (standard or URL-safe, padding optional). */
const ENCRYPTION_KEY_TEXT = '(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)';
const ENCRYPTION_KEY = new RegExp(`^${ENCRYPTION_KEY_TEXT}$`);
const ENCRYPTION_KEY_LIST = new RegExp(
  `^\\s*${ENCRYPTION_KEY_TEXT}(?:\\s*,\\s*${ENCRYPTION_KEY_TEXT})*\\s*$`,
);
const ENCRYPTION_KEY_FORMAT =
  'must be 32 bytes as 64 hex digits or base64 (openssl rand -base64 32)';

/** The base URL of an external service: http(s), any host name, never credentials in it. */
const IsServiceUrl = (): PropertyDecorator =>
  IsUrl(
    {
      protocols: ['http', 'https'],
      require_protocol: true,
      require_tld: false,
      allow_underscores: true,
      // Node's fetch refuses URLs with a user and password in them.
      disallow_auth: true,
    },
    { message: '$property must be an http(s) URL without credentials' },
  );

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['true', '1', 'yes'].includes(value.toLowerCase()) : value;

/**
 * Every environment variable Kiln reads, with its validation and its local default.
 * .env.example documents each of them; a unit test keeps the two in step.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @IsEnum(AppRole)
  APP_ROLE: AppRole = AppRole.All;

  @IsString()
  HOST = '0.0.0.0';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsString()
  CORS_ORIGINS = '';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  @Transform(toBoolean)
  @IsBoolean()
  TRUST_PROXY = false;

  @Transform(toBoolean)
  @IsBoolean()
  SWAGGER_ENABLED = true;

  @IsString()
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/kiln';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  DATABASE_POOL_SIZE = 10;

  @Transform(toBoolean)
  @IsBoolean()
  DATABASE_CREATE = true;

  @Transform(toBoolean)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @IsString()
  REDIS_URL = 'redis://127.0.0.1:6379';

  @IsString()
  @MinLength(1)
  REDIS_PREFIX = 'kiln';

  @IsString()
  @MinLength(32)
  JWT_SECRET: string = DEVELOPMENT_SECRETS.JWT_SECRET;

  /** Encrypts the secrets Kiln stores (users' provider keys): 32 bytes, as hex or base64. */
  @Matches(ENCRYPTION_KEY, { message: `DATA_ENCRYPTION_KEY ${ENCRYPTION_KEY_FORMAT}` })
  DATA_ENCRYPTION_KEY: string = DEVELOPMENT_SECRETS.DATA_ENCRYPTION_KEY;

  /** Former DATA_ENCRYPTION_KEYs, comma-separated: what they encrypted stays readable. */
  @IsOptional()
  @Matches(ENCRYPTION_KEY_LIST, {
    message: `DATA_ENCRYPTION_PREVIOUS_KEYS must be a comma-separated list of keys that each ${ENCRYPTION_KEY_FORMAT}`,
  })
  DATA_ENCRYPTION_PREVIOUS_KEYS?: string;

  @IsOptional()
  @IsString()
  METRICS_TOKEN?: string;

  @IsString()
  STORAGE_DIR = './storage';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  MEDIA_MAX_BYTES = 536_870_912;

  @IsOptional()
  @IsString()
  FFMPEG_PATH?: string;

  @IsOptional()
  @IsString()
  FFPROBE_PATH?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  MEDIA_TIMEOUT_SEC = 1800;

  @Matches(/^\s*([a-z-]+=\d+\s*)(,\s*[a-z-]+=\d+\s*)*$/, {
    message: 'JOBS_CONCURRENCY must look like transcode=1,thumbnail=2',
  })
  JOBS_CONCURRENCY = 'transcode=1,thumbnail=2,montage=1,audio-extract=2,generate=1';

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  JOBS_LOCK_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  JOBS_BACKOFF_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(1000)
  JOBS_SWEEP_INTERVAL_MS = 30_000;

  /** Set, generate jobs go to this external service; empty, the built-in local renderer runs them. */
  @IsOptional()
  @IsServiceUrl()
  GENERATION_BASE_URL?: string;

  @IsOptional()
  @IsString()
  GENERATION_API_KEY?: string;

  @IsOptional()
  @IsString()
  GENERATION_MODEL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  GENERATION_POLL_INTERVAL_MS = 1000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  GENERATION_REQUEST_TIMEOUT_MS = 30_000;

  /** Set, embeddings come from this OpenAI-compatible service; empty, the local embedder runs. */
  @IsOptional()
  @IsServiceUrl()
  EMBEDDINGS_BASE_URL?: string;

  @IsOptional()
  @IsString()
  EMBEDDINGS_API_KEY?: string;

  @IsString()
  EMBEDDINGS_MODEL = 'text-embedding-3-small';

  @Type(() => Number)
  @IsInt()
  @Min(2)
  @Max(16_384)
  EMBEDDINGS_DIMENSION = 384;

  /** Set, replies come from this OpenAI-compatible chat service; empty, the extractive responder. */
  @IsOptional()
  @IsServiceUrl()
  CHAT_BASE_URL?: string;

  @IsOptional()
  @IsString()
  CHAT_API_KEY?: string;

  @IsString()
  CHAT_MODEL = 'gpt-4o-mini';

  @Type(() => Number)
  @IsInt()
  @Min(100)
  CHAT_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(256)
  CHAT_CONTEXT_TOKENS = 4000;

  @Transform(toBoolean)
  @IsBoolean()
  WEBHOOKS_ALLOW_PRIVATE = false;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  WEBHOOKS_TIMEOUT_MS = 10_000;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  WEBHOOKS_MAX_ATTEMPTS = 8;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  WEBHOOKS_BACKOFF_MS = 30_000;

  @Type(() => Number)
  @IsNumber()
  @Min(1)
  @Max(100)
  HEALTH_DISK_MAX_USED_PERCENT = 95;

  @Type(() => Number)
  @IsInt()
  @Min(16)
  HEALTH_HEAP_MAX_MB = 1024;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_GRACE_MS = 25_000;

  @Type(() => Number)
  @IsInt()
  @Min(4)
  @Max(15)
  BCRYPT_COST = 12;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  JWT_ACCESS_TTL_SEC = 900;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  REFRESH_TTL_DAYS = 30;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(300)
  IDENTITY_CACHE_TTL_SEC = 30;

  @Type(() => Number)
  @IsInt()
  @Min(5)
  PASSWORD_RESET_TTL_MIN = 30;

  @IsString()
  PASSWORD_RESET_URL = 'http://localhost:3000/reset-password';

  @IsOptional()
  @IsString()
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Kiln <no-reply@kiln.local>';

  @IsOptional()
  @IsString()
  ADMIN_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(8)
  ADMIN_PASSWORD?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_SEC = 60;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_DEFAULT = 600;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_REGISTER = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PASSWORD_RESET = 5;

  /** Off, nothing is metered or refused for quota (the bench compares both). */
  @Transform(toBoolean)
  @IsBoolean()
  BILLING_METERING = true;

  /** Set, plan changes go through Stripe Checkout; empty, they take effect at once. */
  @IsOptional()
  @Matches(/^(sk|rk)_\S+$/, { message: 'STRIPE_SECRET_KEY must be a Stripe secret key (sk_...)' })
  STRIPE_SECRET_KEY?: string;

  /** Verifies POST /billing/webhooks/stripe; needed whenever STRIPE_SECRET_KEY is set. */
  @ValidateIf(
    (env: EnvironmentVariables) =>
      env.STRIPE_WEBHOOK_SECRET !== undefined || !!env.STRIPE_SECRET_KEY,
  )
  @IsString()
  @MinLength(1)
  STRIPE_WEBHOOK_SECRET?: string;

  /** Where the Stripe client sends its requests; empty is Stripe's own API. */
  @IsOptional()
  @IsServiceUrl()
  STRIPE_API_URL?: string;

  @IsServiceUrl()
  BILLING_CHECKOUT_SUCCESS_URL = 'http://localhost:3000/billing/success';

  @IsServiceUrl()
  BILLING_CHECKOUT_CANCEL_URL = 'http://localhost:3000/billing/cancel';
}
