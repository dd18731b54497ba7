import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppRole, DEVELOPMENT_SECRETS, EnvironmentVariables } from './environment';
import { ConfigurationError, loadConfig, validateEnvironment } from './load-config';

function configurationProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has a working local default for everything', () => {
    const config = loadConfig({});
    expect(config.role).toBe(AppRole.All);
    expect(config.http.port).toBe(3000);
    expect(config.database.url).toBe('postgres://postgres@127.0.0.1:5432/kiln');
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'kiln' });
    expect(config.runsApi && config.runsWorker).toBe(true);
  });

  it('reads types and lists from strings', () => {
    const config = loadConfig({
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      MIGRATIONS_RUN: 'false',
      HEALTH_HEAP_MAX_MB: '64',
    });
    expect(config.http.port).toBe(8080);
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.database.migrationsRun).toBe(false);
    expect(config.health.heapMaxBytes).toBe(64 * 1024 * 1024);
  });

  it('listens on WORKER_PORT in the worker role, which runs no API', () => {
    const config = loadConfig({ APP_ROLE: 'worker', WORKER_PORT: '4001' });
    expect(config.listenPort).toBe(4001);
    expect(config.runsApi).toBe(false);
    expect(loadConfig({ APP_ROLE: 'api' }).runsWorker).toBe(false);
  });

  it('names every invalid variable at once', () => {
    const problems = configurationProblems({
      PORT: 'eighty',
      APP_ROLE: 'chef',
      JWT_SECRET: 'short',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['APP_ROLE', 'JWT_SECRET', 'PORT']);
  });

  it('reads encryption keys as hex or base64, and the former ones as a list', () => {
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({
      DATA_ENCRYPTION_KEY: key.toString('hex'),
      DATA_ENCRYPTION_PREVIOUS_KEYS: ` ${key.toString('base64')}, ${key.toString('base64url')} `,
    });
    expect(config.encryption).toEqual({ key, previousKeys: [key, key] });
    expect(loadConfig({}).encryption.previousKeys).toEqual([]);
  });

  it('refuses an encryption key that is not 32 bytes', () => {
    const problems = configurationProblems({
      DATA_ENCRYPTION_KEY: 'ab'.repeat(31),
      DATA_ENCRYPTION_PREVIOUS_KEYS: `${'ab'.repeat(32)},short`,
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'DATA_ENCRYPTION_KEY',
      'DATA_ENCRYPTION_PREVIOUS_KEYS',
    ]);
  });

  describe('in production', () => {
    it('refuses to start when a secret is missing, and says which', () => {
      expect(configurationProblems({ NODE_ENV: 'production' })).toEqual([
        'JWT_SECRET is missing; production needs a secret of its own',
        'DATA_ENCRYPTION_KEY is missing; production needs a secret of its own',
      ]);
    });

    it('refuses to start when a secret still has its example value', () => {
      expect(
        configurationProblems({
          NODE_ENV: 'production',
          JWT_SECRET: DEVELOPMENT_SECRETS.JWT_SECRET,
          DATA_ENCRYPTION_KEY: DEVELOPMENT_SECRETS.DATA_ENCRYPTION_KEY,
        }),
      ).toEqual([
        'JWT_SECRET still has its example value; set a secret of its own',
        'DATA_ENCRYPTION_KEY still has its example value; set a secret of its own',
      ]);
    });

    it('starts with secrets of its own', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'p'.repeat(40),
        DATA_ENCRYPTION_KEY: 'ab'.repeat(32),
      });
      expect(config.auth.jwtSecret).toBe('p'.repeat(40));
      expect(config.encryption.key).toEqual(Buffer.alloc(32, 0xab));
    });
  });
});

describe('.env.example', () => {
  const lines = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line));
  const documented = Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));

  it('documents exactly the variables the service reads', () => {
    const read = getMetadataStorage()
      .getTargetValidationMetadatas(EnvironmentVariables, '', true, false)
      .map((m) => m.propertyName);
    expect(Object.keys(documented).sort()).toEqual([...new Set(read)].sort());
  });

  it('shows the same defaults the service uses', () => {
    const defaults = validateEnvironment({});
    for (const [name, value] of Object.entries(documented)) {
      const actual = defaults[name as keyof EnvironmentVariables];
      expect([name, value]).toEqual([name, actual === undefined ? '' : String(actual)]);
    }
  });
});
