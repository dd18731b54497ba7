import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createAccount, uniqueEmail } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';
import { testEnv } from './support/test-config';
import { runIdentity } from './support/test-env';

const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });
}

async function roleOf(t: TestApp, email: string): Promise<{ role: string; status: string }> {
  const [row] = await t.app
    .get(DataSource)
    .query('SELECT role, status FROM users WHERE email = $1 AND deleted_at IS NULL', [email]);
  return row;
}

describe('the first admin', () => {
  it('is created at start from ADMIN_EMAIL and ADMIN_PASSWORD, and can sign in', async () => {
    const email = uniqueEmail('boss');
    const t = await startTestApp({ ADMIN_EMAIL: email, ADMIN_PASSWORD: 'boss passphrase' });
    try {
      expect(await roleOf(t, email)).toEqual({ role: 'admin', status: 'active' });
      const login = await t.http
        .post('/api/v1/auth/login')
        .send({ email, password: 'boss passphrase' });
      expect(login.body.user.role).toBe('admin');
    } finally {
      await t.close();
    }
  });

  it('promotes an existing account at start, audited as done by the system', async () => {
    const plain = await startTestApp();
    const account = await createAccount(plain);
    await plain.close();

    const t = await startTestApp({
      ADMIN_EMAIL: account.email,
      ADMIN_PASSWORD: 'ignored for existing',
    });
    try {
      expect(await roleOf(t, account.email)).toEqual({ role: 'admin', status: 'active' });
      const [entry] = await t.app
        .get(DataSource)
        .query('SELECT actor_id, action FROM audit_log WHERE target_id = $1', [account.id]);
      expect(entry).toEqual({ actor_id: null, action: 'user.role_changed' });
    } finally {
      await t.close();
    }
  });

  describe('npm run cli -- create-admin', () => {
    it('creates an admin from a shell', async () => {
      const email = uniqueEmail('cli');
      const { code, output } = await runCli(
        ['create-admin', '--email', email, '--password', 'cli passphrase'],
        testEnv(),
      );
      expect({ code, output }).toEqual({
        code: 0,
        output: expect.stringContaining('active admin'),
      });
      // Read straight from the database: the command's own work is what is checked here.
      const client = new Client({ connectionString: runIdentity().databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT role, status FROM users WHERE email = $1 AND deleted_at IS NULL',
          [email],
        );
        expect(rows).toEqual([{ role: 'admin', status: 'active' }]);
      } finally {
        await client.end();
      }
    });

    it('exits 2 with usage when the arguments are incomplete or the password too short', async () => {
      expect((await runCli(['create-admin'], testEnv())).code).toBe(2);
      const short = await runCli(
        ['create-admin', '--email', uniqueEmail(), '--password', 'x'],
        testEnv(),
      );
      expect(short).toEqual({ code: 2, output: expect.stringContaining('8 to 128') });
    });
  });
});
