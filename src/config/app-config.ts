import { AppRole } from './environment';

/** Typed configuration, read and validated once at start and injected where needed. */
export class AppConfig {
  readonly env: 'development' | 'test' | 'production';
  readonly role: AppRole;
  readonly http: {
    host: string;
    port: number;
    workerPort: number;
    bodyLimitBytes: number;
    corsOrigins: string[];
    trustProxy: boolean;
    swaggerEnabled: boolean;
  };
  readonly log: { level: string };
  readonly database: {
    url: string;
    poolSize: number;
    createIfMissing: boolean;
    migrationsRun: boolean;
  };
  readonly redis: { url: string; prefix: string };
  readonly auth: {
    jwtSecret: string;
    accessTtlSec: number;
    refreshTtlDays: number;
    identityCacheTtlSec: number;
    bcryptCost: number;
    passwordResetTtlMin: number;
    passwordResetUrl: string;
    admin?: { email: string; password: string };
  };
  readonly mail: { smtpUrl?: string; from: string };
  readonly rateLimit: {
    windowSec: number;
    default: number;
    login: number;
    register: number;
    passwordReset: number;
  };
  readonly metrics: { token?: string };
  /** Encrypts the secrets Kiln stores; `previousKeys` only decrypt what earlier keys encrypted. */
  readonly encryption: { key: Buffer; previousKeys: Buffer[] };
  readonly storage: { dir: string };
  /** `http` is set when GENERATION_BASE_URL is: generate jobs then go to that service. */
  readonly generation: {
    http?: {
      baseUrl: string;
      apiKey?: string;
      defaultModel?: string;
      pollIntervalMs: number;
      requestTimeoutMs: number;
    };
  };
  /** `http` is set when EMBEDDINGS_BASE_URL is; the local embedder runs otherwise. */
  readonly embeddings: {
    dimension: number;
    http?: { baseUrl: string; apiKey?: string; model: string };
  };
  /** `http` is set when CHAT_BASE_URL is; the extractive responder answers otherwise. */
  readonly chat: {
    contextTokens: number;
    http?: { baseUrl: string; apiKey?: string; model: string; requestTimeoutMs: number };
  };
  readonly webhooks: {
    allowPrivateTargets: boolean;
    timeoutMs: number;
    maxAttempts: number;
    backoffMs: number;
  };
  readonly jobs: {
    concurrency: Record<string, number>;
    lockMs: number;
    backoffMs: number;
    sweepIntervalMs: number;
  };
  readonly media: {
    maxBytes: number;
    ffmpegPath?: string;
    ffprobePath?: string;
    timeoutMs: number;
  };
  readonly health: { diskMaxUsedPercent: number; heapMaxBytes: number };
  readonly shutdown: { graceMs: number };
  /** `stripe` is set when STRIPE_SECRET_KEY is: plan changes then go through Stripe Checkout. */
  readonly billing: {
    metering: boolean;
    stripeWebhookSecret?: string;
    stripe?: { secretKey: string; apiUrl?: string; successUrl: string; cancelUrl: string };
  };

  constructor(values: Omit<AppConfig, 'runsApi' | 'runsWorker' | 'listenPort'>) {
    Object.assign(this, values);
  }

  get runsApi(): boolean {
    return this.role !== AppRole.Worker;
  }

  get runsWorker(): boolean {
    return this.role !== AppRole.Api;
  }

  /** The worker role serves only its probes, on a port of its own. */
  get listenPort(): number {
    return this.role === AppRole.Worker ? this.http.workerPort : this.http.port;
  }
}
