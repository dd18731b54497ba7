import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppConfig } from './app-config';
import { DEVELOPMENT_SECRETS, EnvironmentVariables, SecretName } from './environment';

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Loads `.env` from the working directory, if there is one, without overriding real variables. */
export function loadDotEnv(path = resolve(process.cwd(), '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** In production a secret must be set explicitly and must not be the published example value. */
function secretProblems(env: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  return (Object.keys(DEVELOPMENT_SECRETS) as SecretName[]).flatMap((name) => {
    const value = env[name];
    if (!value) return [`${name} is missing; production needs a secret of its own`];
    if (value === DEVELOPMENT_SECRETS[name])
      return [`${name} still has its example value; set a secret of its own`];
    return [];
  });
}

/** The 32 bytes of a key the schema has checked: 64 hex digits, or else base64 of either kind. */
function encryptionKey(text: string): Buffer {
  return Buffer.from(text, /^[0-9a-fA-F]{64}$/.test(text) ? 'hex' : 'base64');
}

export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const defined = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, defined, { exposeDefaultValues: true });
  const errors = validateSync(vars, { skipMissingProperties: false });
  const problems = [
    ...errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`),
    ...secretProblems(env),
  ];
  if (problems.length > 0) throw new ConfigurationError(problems);
  return vars;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const v = validateEnvironment(env);
  return new AppConfig({
    env: v.NODE_ENV,
    role: v.APP_ROLE,
    http: {
      host: v.HOST,
      port: v.PORT,
      workerPort: v.WORKER_PORT,
      bodyLimitBytes: v.BODY_LIMIT_BYTES,
      corsOrigins: v.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      trustProxy: v.TRUST_PROXY,
      swaggerEnabled: v.SWAGGER_ENABLED,
    },
    log: { level: v.LOG_LEVEL },
    database: {
      url: v.DATABASE_URL,
      poolSize: v.DATABASE_POOL_SIZE,
      createIfMissing: v.DATABASE_CREATE,
      migrationsRun: v.MIGRATIONS_RUN,
    },
    redis: { url: v.REDIS_URL, prefix: v.REDIS_PREFIX },
    auth: {
      jwtSecret: v.JWT_SECRET,
      accessTtlSec: v.JWT_ACCESS_TTL_SEC,
      refreshTtlDays: v.REFRESH_TTL_DAYS,
      identityCacheTtlSec: v.IDENTITY_CACHE_TTL_SEC,
      bcryptCost: v.BCRYPT_COST,
      passwordResetTtlMin: v.PASSWORD_RESET_TTL_MIN,
      passwordResetUrl: v.PASSWORD_RESET_URL,
      admin:
        v.ADMIN_EMAIL && v.ADMIN_PASSWORD
          ? { email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD }
          : undefined,
    },
    mail: { smtpUrl: v.SMTP_URL, from: v.MAIL_FROM },
    rateLimit: {
      windowSec: v.RATE_LIMIT_WINDOW_SEC,
      default: v.RATE_LIMIT_DEFAULT,
      login: v.RATE_LIMIT_LOGIN,
      register: v.RATE_LIMIT_REGISTER,
      passwordReset: v.RATE_LIMIT_PASSWORD_RESET,
    },
    metrics: { token: v.METRICS_TOKEN },
    encryption: {
      key: encryptionKey(v.DATA_ENCRYPTION_KEY),
      previousKeys: (v.DATA_ENCRYPTION_PREVIOUS_KEYS ?? '')
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean)
        .map(encryptionKey),
    },
    storage: { dir: resolve(v.STORAGE_DIR) },
    generation: {
      http: v.GENERATION_BASE_URL
        ? {
            baseUrl: v.GENERATION_BASE_URL,
            apiKey: v.GENERATION_API_KEY,
            defaultModel: v.GENERATION_MODEL,
            pollIntervalMs: v.GENERATION_POLL_INTERVAL_MS,
            requestTimeoutMs: v.GENERATION_REQUEST_TIMEOUT_MS,
          }
        : undefined,
    },
    embeddings: {
      dimension: v.EMBEDDINGS_DIMENSION,
      http: v.EMBEDDINGS_BASE_URL
        ? {
            baseUrl: v.EMBEDDINGS_BASE_URL,
            apiKey: v.EMBEDDINGS_API_KEY,
            model: v.EMBEDDINGS_MODEL,
          }
        : undefined,
    },
    chat: {
      contextTokens: v.CHAT_CONTEXT_TOKENS,
      http: v.CHAT_BASE_URL
        ? {
            baseUrl: v.CHAT_BASE_URL,
            apiKey: v.CHAT_API_KEY,
            model: v.CHAT_MODEL,
            requestTimeoutMs: v.CHAT_TIMEOUT_MS,
          }
        : undefined,
    },
    webhooks: {
      allowPrivateTargets: v.WEBHOOKS_ALLOW_PRIVATE,
      timeoutMs: v.WEBHOOKS_TIMEOUT_MS,
      maxAttempts: v.WEBHOOKS_MAX_ATTEMPTS,
      backoffMs: v.WEBHOOKS_BACKOFF_MS,
    },
    jobs: {
      concurrency: Object.fromEntries(
        v.JOBS_CONCURRENCY.split(',').map((pair) => {
          const [type, count] = pair.split('=').map((part) => part.trim());
          return [type, Number(count)];
        }),
      ),
      lockMs: v.JOBS_LOCK_MS,
      backoffMs: v.JOBS_BACKOFF_MS,
      sweepIntervalMs: v.JOBS_SWEEP_INTERVAL_MS,
    },
    media: {
      maxBytes: v.MEDIA_MAX_BYTES,
      ffmpegPath: v.FFMPEG_PATH,
      ffprobePath: v.FFPROBE_PATH,
      timeoutMs: v.MEDIA_TIMEOUT_SEC * 1000,
    },
    health: {
      diskMaxUsedPercent: v.HEALTH_DISK_MAX_USED_PERCENT,
      heapMaxBytes: v.HEALTH_HEAP_MAX_MB * 1024 * 1024,
    },
    shutdown: { graceMs: v.SHUTDOWN_GRACE_MS },
    billing: {
      metering: v.BILLING_METERING,
      stripeWebhookSecret: v.STRIPE_WEBHOOK_SECRET,
      stripe: v.STRIPE_SECRET_KEY
        ? {
            secretKey: v.STRIPE_SECRET_KEY,
            apiUrl: v.STRIPE_API_URL,
            successUrl: v.BILLING_CHECKOUT_SUCCESS_URL,
            cancelUrl: v.BILLING_CHECKOUT_CANCEL_URL,
          }
        : undefined,
    },
  });
}
