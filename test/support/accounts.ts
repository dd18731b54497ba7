import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { UserRole } from '../../src/common/auth/role';
import { TestApp } from './test-app';

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** `Authorization: Bearer <accessToken>` */
  auth: { Authorization: string };
}

export const uniqueEmail = (label = 'user'): string => `${label}-${randomUUID()}@example.com`;

/** Registers a new account through the API; other roles are granted directly in the database. */
export async function createAccount(
  t: TestApp,
  role: UserRole = UserRole.User,
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<TestAccount> {
  const email = overrides.email ?? uniqueEmail(role);
  const password = overrides.password ?? 'correct horse battery staple';
  const response = await t.http
    .post('/api/v1/auth/register')
    .send({ email, password, name: overrides.name });
  if (response.status !== 201) {
    throw new Error(`register answered ${response.status}: ${response.text}`);
  }
  const { user, accessToken, refreshToken } = response.body;
  if (role !== UserRole.User) {
    await t.app.get(DataSource).query('UPDATE users SET role = $1 WHERE id = $2', [role, user.id]);
  }
  return {
    id: user.id,
    email,
    password,
    accessToken,
    refreshToken,
    auth: { Authorization: `Bearer ${accessToken}` },
  };
}

/** The newest mail the outbox holds for an address. */
export async function lastMailTo(
  t: TestApp,
  to: string,
): Promise<{ subject: string; text: string } | undefined> {
  const rows = await t.app
    .get(DataSource)
    .query(
      'SELECT subject, text FROM mail_outbox WHERE "to" = $1 ORDER BY created_at DESC LIMIT 1',
      [to],
    );
  return rows[0];
}
