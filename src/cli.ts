import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { AppRole } from './config/environment';
import { loadConfig, loadDotEnv } from './config/load-config';
import { ensureDatabase } from './infra/database/ensure-database';
import { AdminAccountsService } from './modules/auth/admin-accounts.service';
import { PASSWORD_RULES } from './modules/auth/dto/credentials.dto';

const USAGE =
  'usage: npm run cli -- create-admin --email <email> [--password <password>]\n' +
  '       (the password may also come from ADMIN_PASSWORD)';

/** Administrative commands run from a shell against the configured database. */
async function main(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { email: { type: 'string' }, password: { type: 'string' } },
  });
  loadDotEnv();
  const config = loadConfig();
  const email = values.email;
  const password = values.password ?? config.auth.admin?.password;
  if (positionals[0] !== 'create-admin' || !email || !password) {
    console.error(USAGE);
    return 2;
  }
  if (password.length < PASSWORD_RULES.minLength || password.length > PASSWORD_RULES.maxLength) {
    console.error('The password must be 8 to 128 characters long.');
    return 2;
  }
  if (config.database.createIfMissing) await ensureDatabase(config.database.url);
  // The api role: no queue processors start in a one-off command.
  const apiConfig = new AppConfig({ ...config, role: AppRole.Api });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(apiConfig), {
    logger: ['error', 'warn'],
  });
  try {
    const admin = await app.get(AdminAccountsService).ensureAdmin(email, password);
    console.error(`${admin.email} is an active admin (${admin.id}).`);
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
