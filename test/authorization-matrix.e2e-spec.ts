/**
 * The authorization matrix: every route of the application and the status each kind of caller
 * gets from it. It is the access rules of the API contract written down as a table, and the
 * suite checks the running application against it over HTTP.
 *
 * EVERY NEW ROUTE MUST ADD ITS ROW TO `MATRIX` BELOW. The first test fails while the application
 * has a route (in its OpenAPI document) that the table does not list, or the table lists a route
 * the application does not have.
 *
 * The columns are the callers:
 * - anonymous: sends no credentials at all.
 * - owner: the plain `user` who owns the resource the path names. On /users/{id} routes the
 *   resource is a user account, so its owner is that user. On routes that act on the caller
 *   (/auth/me, GET /auth/sessions, /api-keys, /provider-keys...) the caller acts on themself.
 * - other: another plain `user`, who does not own that resource (on routes that act on the
 *   caller, they act on themself too).
 * - operator, admin: accounts with those roles; they own nothing the path names.
 *
 * Each row's `call` says how to call the route: its path parameters, its body and, when the
 * request changes the account it acts on, a throwaway account to send it as. Bodies are valid, so
 * a status shows authorization and not validation. Every cell that may change state gets a fresh
 * fixture of its own, so no cell depends on what another did or on the order they run in.
 * Ids that do not exist (404) are not part of the matrix: the feature suites cover them.
 * Public routes give every caller their normal answer, with bodies chosen so it is deterministic.
 */
import { INestApplication, RequestMethod } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { UserRole } from '../src/common/auth/role';
import { API_PREFIX } from '../src/http/api-prefix';
import { renderOpenApiJson } from '../src/http/openapi';
import { InvoicesService } from '../src/modules/billing/invoices.service';
import { createAccount, TestAccount, uniqueEmail } from './support/accounts';
import { createPlan } from './support/billing';
import { storedPath, waitForJob } from './support/jobs';
import { sampleImage, sampleVideo } from './support/media-samples';
import { expectProblem } from './support/problem';
import { startTestApp, TestApp } from './support/test-app';

type Caller = 'anonymous' | 'owner' | 'other' | 'operator' | 'admin';
type SignedInCaller = Exclude<Caller, 'anonymous'>;

const CALLERS: readonly Caller[] = ['anonymous', 'owner', 'other', 'operator', 'admin'];

const ROLE_OF: Record<Caller, UserRole> = {
  anonymous: UserRole.User,
  owner: UserRole.User,
  other: UserRole.User,
  operator: UserRole.Operator,
  admin: UserRole.Admin,
};

/** How one cell calls its route. */
interface Call {
  /** Values of the path's `{name}` parameters. */
  params?: Record<string, string>;
  body?: object;
  /** Sends a multipart upload of this file as `file` instead of a JSON body. */
  file?: string;
  /** Sends this account's credentials instead of the caller's shared one (anonymous sends none). */
  as?: TestAccount;
}

interface Row extends Record<Caller, number> {
  /** `METHOD path`, the path exactly as the OpenAPI document spells it. */
  route: string;
  /** How to call the route; omit it when the route takes no path parameter and no body. */
  call?: (fx: Fixtures, caller: Caller) => Call | Promise<Call>;
}

const NEW_PASSWORD = 'a brand new passphrase';

/** The accounts every cell shares, and makers of the throwaway fixtures mutating cells use. */
class Fixtures {
  constructor(
    readonly t: TestApp,
    private readonly accounts: Record<SignedInCaller, TestAccount>,
  ) {}

  get owner(): TestAccount {
    return this.accounts.owner;
  }

  /** The shared account the caller signs in with; none for anonymous. */
  credentialsOf(caller: Caller): TestAccount | undefined {
    return caller === 'anonymous' ? undefined : this.accounts[caller];
  }

  /**
   * The account a caller's body talks about, on routes that act on the caller. Anonymous sends no
   * credentials, so its body names the owner's account.
   */
  self(caller: Caller): TestAccount {
    return this.credentialsOf(caller) ?? this.accounts.owner;
  }

  /** A throwaway account with the caller's role, for a request that changes its own account. */
  freshSelf(caller: Caller): Promise<TestAccount> {
    return createAccount(this.t, ROLE_OF[caller]);
  }

  /** A throwaway plain user, for /users/{id} requests that change the user they name. */
  freshUser(): Promise<TestAccount> {
    return createAccount(this.t, UserRole.User);
  }

  /** Signs the account in once more: a new session of its own, with its id and refresh token. */
  async newSession(account: TestAccount): Promise<{ sessionId: string; refreshToken: string }> {
    const login = await this.t.http
      .post('/api/v1/auth/login')
      .send({ email: account.email, password: account.password });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.text}`);
    const sessions = await this.t.http
      .get('/api/v1/auth/sessions')
      .set({ Authorization: `Bearer ${login.body.accessToken}` });
    const current = (sessions.body as { id: string; current: boolean }[]).find((s) => s.current);
    if (!current) throw new Error(`no current session in ${sessions.text}`);
    return { sessionId: current.id, refreshToken: login.body.refreshToken };
  }

  /** A new project of the account; returns its id. */
  async newProject(account: TestAccount): Promise<string> {
    const response = await this.t.http
      .post('/api/v1/projects')
      .set(account.auth)
      .send({ name: 'matrix fixture' });
    if (response.status !== 201) {
      throw new Error(`POST /projects answered ${response.status}: ${response.text}`);
    }
    return response.body.id;
  }

  /** The seeded free plan, which every new account is on. */
  async freePlanId(): Promise<string> {
    const plans = (await this.t.http.get('/api/v1/billing/plans')).body as {
      id: string;
      code: string;
    }[];
    return plans.find((plan) => plan.code === 'free')!.id;
  }

  /** An invoice of the account: its current period closed as if the month were over. */
  async newInvoice(account: TestAccount): Promise<string> {
    await this.t.http.get('/api/v1/billing/subscription').set(account.auth);
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    await this.t.app.get(InvoicesService).closeDuePeriodsOf(account.id, nextMonth);
    const [invoice] = await this.t.app
      .get(DataSource)
      .query('SELECT id FROM invoices WHERE user_id = $1', [account.id]);
    return invoice.id;
  }

  private readonly made = new Map<string, Promise<string>>();

  private conversation?: Promise<{ id: string; messageId: string }>;

  /** The owner's conversation that read-only cells share. */
  sharedConversation(): Promise<{ id: string; messageId: string }> {
    this.conversation ??= this.newConversation(this.owner);
    return this.conversation;
  }

  /** One fixture shared by the cells that only read it, made on first use. */
  shared(name: string, make: () => Promise<string>): Promise<string> {
    if (!this.made.has(name)) this.made.set(name, make());
    return this.made.get(name)!;
  }

  /** A new collection of the account holding one document `doc`; returns its id. */
  async newCollection(account: TestAccount): Promise<string> {
    const created = await this.t.http
      .post('/api/v1/embeddings/collections')
      .set(account.auth)
      .send({ name: 'matrix' });
    await this.t.http
      .post(`/api/v1/embeddings/collections/${created.body.id}/documents`)
      .set(account.auth)
      .send({ documents: [{ id: 'doc', text: 'The matrix fixture document.' }] });
    return created.body.id;
  }

  /** A new conversation of the account with one message (no reply); returns its ids. */
  async newConversation(account: TestAccount): Promise<{ id: string; messageId: string }> {
    const created = await this.t.http
      .post('/api/v1/conversations')
      .set(account.auth)
      .send({ title: 'matrix' });
    const posted = await this.t.http
      .post(`/api/v1/conversations/${created.body.id}/messages`)
      .set(account.auth)
      .send({ content: 'matrix message', reply: false });
    return { id: created.body.id, messageId: posted.body.message.id };
  }

  /** A new webhook of the account (a public address: registration refuses private ones). */
  async newWebhook(account: TestAccount): Promise<string> {
    const response = await this.t.http
      .post('/api/v1/webhooks')
      .set(account.auth)
      .send({ url: 'https://93.184.215.14/kiln-matrix', events: ['job.completed'] });
    if (response.status !== 201) {
      throw new Error(`POST /webhooks answered ${response.status}: ${response.text}`);
    }
    return response.body.id;
  }

  /** A new upload of the account; returns its id. */
  async newMedia(account: TestAccount): Promise<string> {
    const response = await this.t.http
      .post('/api/v1/media')
      .set(account.auth)
      .attach('file', await sampleImage('png'));
    if (response.status !== 201) {
      throw new Error(`POST /media answered ${response.status}: ${response.text}`);
    }
    return response.body.id;
  }

  /** A finished job of the account (a one-second generation); returns its id. */
  async newFinishedJob(account: TestAccount): Promise<string> {
    const response = await this.t.http
      .post('/api/v1/jobs')
      .set(account.auth)
      .send({
        type: 'generate',
        params: { prompt: 'matrix', durationSec: 1, resolution: '480p', quality: 'low' },
      });
    if (response.status !== 202) {
      throw new Error(`POST /jobs answered ${response.status}: ${response.text}`);
    }
    return (await waitForJob(this.t, account, response.body.id)).id;
  }

  /**
   * A failed job of the account, which retry takes: a transcode whose input's bytes are gone,
   * so it fails at once (and again when retried) without costing any encoding.
   */
  async newFailedJob(account: TestAccount): Promise<string> {
    const upload = await this.t.http
      .post('/api/v1/media')
      .set(account.auth)
      .attach('file', await sampleVideo({ durationSec: 1 }));
    await rm(await storedPath(this.t, upload.body.id));
    const response = await this.t.http
      .post('/api/v1/jobs')
      .set(account.auth)
      .send({ type: 'transcode', inputs: [upload.body.id], maxRetries: 0 });
    return (await waitForJob(this.t, account, response.body.id)).id;
  }

  /** A new API key of the account; returns its id. */
  async newApiKey(account: TestAccount): Promise<string> {
    const response = await this.t.http
      .post('/api/v1/api-keys')
      .set(account.auth)
      .send({ name: 'matrix fixture' });
    if (response.status !== 201) {
      throw new Error(`POST /api-keys answered ${response.status}: ${response.text}`);
    }
    return response.body.id;
  }

  /** Stores a chat provider key for the account; returns the account. */
  async withChatProviderKey(account: TestAccount): Promise<TestAccount> {
    const response = await this.t.http
      .put('/api/v1/provider-keys/chat')
      .set(account.auth)
      .send({ key: 'sk-matrix-fixture' });
    if (response.status !== 200) {
      throw new Error(`PUT /provider-keys/chat answered ${response.status}: ${response.text}`);
    }
    return account;
  }
}

/**
 * /users/{id} writes act on a throwaway user, so the rows never change a shared account. As
 * `owner` the caller is that user itself.
 */
async function aFreshUser(fx: Fixtures, caller: Caller, body?: object): Promise<Call> {
  const target = await fx.freshUser();
  return { params: { id: target.id }, body, as: caller === 'owner' ? target : undefined };
}

// prettier-ignore
const MATRIX: Row[] = [
  // ---- operations: public, the same answer for everyone (the test config sets no METRICS_TOKEN)
  {
    route: 'GET /api/v1/health/live',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/health/ready',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/metrics',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },
  // Swagger UI and the document, outside /api/v1 and outside the document itself.
  {
    route: 'GET /docs',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /docs-json',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },
  // The queue dashboard takes only its own session cookie (test/queue-dashboard.e2e-spec.ts).
  {
    route: 'GET /admin/queues-dashboard',
    anonymous: 401, owner: 401, other: 401, operator: 401, admin: 401,
  },
  {
    route: 'GET /admin/queues-dashboard/login',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },

  // ---- auth: public routes
  {
    route: 'POST /api/v1/auth/register',
    anonymous: 201, owner: 201, other: 201, operator: 201, admin: 201,
    call: () => ({ body: { email: uniqueEmail('matrix'), password: NEW_PASSWORD } }),
  },
  {
    route: 'POST /api/v1/auth/login',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
    call: (fx, caller) => {
      const { email, password } = fx.self(caller);
      return { body: { email, password } };
    },
  },
  {
    // A refresh token of a sign-in made for this cell, so it is never spent before.
    route: 'POST /api/v1/auth/refresh',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
    call: async (fx, caller) => {
      const { refreshToken } = await fx.newSession(fx.self(caller));
      return { body: { refreshToken } };
    },
  },
  {
    route: 'POST /api/v1/auth/password-reset/request',
    anonymous: 202, owner: 202, other: 202, operator: 202, admin: 202,
    call: (fx, caller) => ({ body: { email: fx.self(caller).email } }),
  },
  {
    // No valid token exists for a bogus one: the route's normal answer to it is 400.
    route: 'POST /api/v1/auth/password-reset/confirm',
    anonymous: 400, owner: 400, other: 400, operator: 400, admin: 400,
    call: () => ({ body: { token: 'not-a-reset-token', newPassword: NEW_PASSWORD } }),
  },

  // ---- auth: the caller's own account
  {
    // Logging out ends a session, so each cell logs a throwaway account out.
    route: 'POST /api/v1/auth/logout',
    anonymous: 401, owner: 204, other: 204, operator: 204, admin: 204,
    call: async (fx, caller) => {
      const me = await fx.freshSelf(caller);
      return { body: { refreshToken: me.refreshToken }, as: me };
    },
  },
  {
    route: 'GET /api/v1/auth/me',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'PATCH /api/v1/auth/me',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
    call: () => ({ body: { name: 'Matrix' } }),
  },
  {
    // Changes the password and revokes other sessions: a throwaway account, its right password.
    route: 'POST /api/v1/auth/change-password',
    anonymous: 401, owner: 204, other: 204, operator: 204, admin: 204,
    call: async (fx, caller) => {
      const me = await fx.freshSelf(caller);
      return { body: { currentPassword: me.password, newPassword: NEW_PASSWORD }, as: me };
    },
  },
  {
    route: 'GET /api/v1/auth/sessions',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    // A session of the owner made for this cell. API.md: admins may do everything, operators
    // only read, so revoking someone else's session is the owner's and the admins' right.
    route: 'DELETE /api/v1/auth/sessions/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: (await fx.newSession(fx.owner)).sessionId } }),
  },
  {
    route: 'POST /api/v1/api-keys',
    anonymous: 401, owner: 201, other: 201, operator: 201, admin: 201,
    call: () => ({ body: { name: 'matrix' } }),
  },
  {
    route: 'GET /api/v1/api-keys',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    // An API key of the owner made for this cell; the same rule as sessions.
    route: 'DELETE /api/v1/api-keys/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newApiKey(fx.owner) } }),
  },
  {
    route: 'GET /api/v1/provider-keys',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    // Acts on the caller's own key, stored or replaced.
    route: 'PUT /api/v1/provider-keys/{provider}',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
    call: () => ({ params: { provider: 'chat' }, body: { key: 'sk-matrix-key' } }),
  },
  {
    // Deletes the caller's own key: a throwaway account of the caller's role that has one.
    route: 'DELETE /api/v1/provider-keys/{provider}',
    anonymous: 401, owner: 204, other: 204, operator: 204, admin: 204,
    call: async (fx, caller) => ({
      params: { provider: 'chat' },
      as: await fx.withChatProviderKey(await fx.freshSelf(caller)),
    }),
  },

  // ---- users: operators and admins read, only admins write; a user may not even read their own
  {
    route: 'GET /api/v1/users',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/users/{id}',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: (fx) => ({ params: { id: fx.owner.id } }),
  },
  {
    route: 'PATCH /api/v1/users/{id}/role',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 200,
    call: (fx, caller) => aFreshUser(fx, caller, { role: UserRole.User }),
  },
  {
    route: 'POST /api/v1/users/{id}/deactivate',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 200,
    call: (fx, caller) => aFreshUser(fx, caller),
  },
  {
    // The target is active (a deactivated owner could not call at all); activating is idempotent.
    route: 'POST /api/v1/users/{id}/activate',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 200,
    call: (fx, caller) => aFreshUser(fx, caller),
  },
  {
    route: 'DELETE /api/v1/users/{id}',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 204,
    call: (fx, caller) => aFreshUser(fx, caller),
  },
  {
    route: 'GET /api/v1/users/{id}/projects',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: (fx) => ({ params: { id: fx.owner.id } }),
  },

  // ---- projects: the owner's; operators read, admins read and write; each cell its own project
  {
    route: 'POST /api/v1/projects',
    anonymous: 401, owner: 201, other: 201, operator: 201, admin: 201,
    call: () => ({ body: { name: 'matrix' } }),
  },
  {
    route: 'GET /api/v1/projects',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/projects/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.newProject(fx.owner) } }),
  },
  {
    route: 'PATCH /api/v1/projects/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 403, admin: 200,
    call: async (fx) => ({ params: { id: await fx.newProject(fx.owner) }, body: { name: 'renamed' } }),
  },
  {
    route: 'DELETE /api/v1/projects/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newProject(fx.owner) } }),
  },
  {
    route: 'GET /api/v1/projects/{id}/stats',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.newProject(fx.owner) } }),
  },

  // ---- media: the owner's; operators read; admins read and write
  {
    route: 'POST /api/v1/media',
    anonymous: 401, owner: 201, other: 201, operator: 201, admin: 201,
    call: async () => ({ file: await sampleImage('png') }),
  },
  {
    route: 'GET /api/v1/media',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/media/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('media', () => fx.newMedia(fx.owner)) } }),
  },
  {
    route: 'GET /api/v1/media/{id}/content',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('media', () => fx.newMedia(fx.owner)) } }),
  },
  {
    route: 'DELETE /api/v1/media/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newMedia(fx.owner) } }),
  },

  // ---- jobs: the owner's; operators read, cancel and retry any (support); admins everything
  {
    route: 'POST /api/v1/jobs',
    anonymous: 401, owner: 202, other: 202, operator: 202, admin: 202,
    call: () => ({ body: { type: 'generate', params: { prompt: 'matrix', durationSec: 1, resolution: '480p' } } }),
  },
  {
    route: 'GET /api/v1/jobs',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/jobs/stats',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/jobs/export',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/jobs/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('job', () => fx.newFinishedJob(fx.owner)) } }),
  },
  {
    // A finished job: the stream sends its final status and closes.
    route: 'GET /api/v1/jobs/{id}/events',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('job', () => fx.newFinishedJob(fx.owner)) } }),
  },
  {
    // A job queued for a minute of work, made for this cell.
    route: 'POST /api/v1/jobs/{id}/cancel',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => {
      const response = await fx.t.http
        .post('/api/v1/jobs')
        .set(fx.owner.auth)
        .send({ type: 'generate', params: { prompt: 'matrix', durationSec: 60, resolution: '480p' } });
      return { params: { id: response.body.id } };
    },
  },
  {
    route: 'POST /api/v1/jobs/{id}/retry',
    anonymous: 401, owner: 202, other: 403, operator: 202, admin: 202,
    call: async (fx) => ({ params: { id: await fx.newFailedJob(fx.owner) } }),
  },
  {
    route: 'DELETE /api/v1/jobs/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newFailedJob(fx.owner) } }),
  },
  {
    route: 'GET /api/v1/users/{id}/jobs',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: (fx) => ({ params: { id: fx.owner.id } }),
  },

  // ---- webhooks: the owner's; operators read deliveries; admins everything
  {
    route: 'POST /api/v1/webhooks',
    anonymous: 401, owner: 201, other: 201, operator: 201, admin: 201,
    call: () => ({ body: { url: 'https://93.184.215.14/kiln-matrix', events: ['job.completed'] } }),
  },
  {
    route: 'GET /api/v1/webhooks',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'DELETE /api/v1/webhooks/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newWebhook(fx.owner) } }),
  },
  {
    route: 'GET /api/v1/webhooks/{id}/deliveries',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('webhook', () => fx.newWebhook(fx.owner)) } }),
  },

  // ---- embeddings: collections are the owner's; operators read; admins read and write
  {
    route: 'POST /api/v1/embeddings',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
    call: () => ({ body: { input: 'matrix' } }),
  },
  {
    route: 'POST /api/v1/embeddings/collections',
    anonymous: 401, owner: 201, other: 201, operator: 201, admin: 201,
    call: () => ({ body: { name: 'matrix' } }),
  },
  {
    route: 'GET /api/v1/embeddings/collections',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/embeddings/collections/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('collection', () => fx.newCollection(fx.owner)) } }),
  },
  {
    route: 'DELETE /api/v1/embeddings/collections/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newCollection(fx.owner) } }),
  },
  {
    route: 'POST /api/v1/embeddings/collections/{id}/documents',
    anonymous: 401, owner: 201, other: 403, operator: 403, admin: 201,
    call: async (fx) => ({
      params: { id: await fx.shared('collection', () => fx.newCollection(fx.owner)) },
      body: { documents: [{ text: 'Another matrix document.' }] },
    }),
  },
  {
    route: 'GET /api/v1/embeddings/collections/{id}/documents',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('collection', () => fx.newCollection(fx.owner)) } }),
  },
  {
    route: 'POST /api/v1/embeddings/collections/{id}/documents/delete',
    anonymous: 401, owner: 200, other: 403, operator: 403, admin: 200,
    call: async (fx) => ({ params: { id: await fx.newCollection(fx.owner) }, body: { ids: ['doc'] } }),
  },
  {
    route: 'DELETE /api/v1/embeddings/collections/{id}/documents/{documentId}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: await fx.newCollection(fx.owner), documentId: 'doc' } }),
  },
  {
    route: 'POST /api/v1/embeddings/collections/{id}/search',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({
      params: { id: await fx.shared('collection', () => fx.newCollection(fx.owner)) },
      body: { query: 'matrix' },
    }),
  },

  // ---- conversations: the owner's; operators read; admins read and write
  {
    route: 'POST /api/v1/conversations',
    anonymous: 401, owner: 201, other: 201, operator: 201, admin: 201,
    call: () => ({ body: { title: 'matrix' } }),
  },
  {
    route: 'GET /api/v1/conversations',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/conversations/summary',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/conversations/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: (await fx.sharedConversation()).id } }),
  },
  {
    route: 'PATCH /api/v1/conversations/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 403, admin: 200,
    call: async (fx) => ({ params: { id: (await fx.newConversation(fx.owner)).id }, body: { title: 'renamed' } }),
  },
  {
    route: 'DELETE /api/v1/conversations/{id}',
    anonymous: 401, owner: 204, other: 403, operator: 403, admin: 204,
    call: async (fx) => ({ params: { id: (await fx.newConversation(fx.owner)).id } }),
  },
  {
    route: 'POST /api/v1/conversations/{id}/messages',
    anonymous: 401, owner: 201, other: 403, operator: 403, admin: 201,
    call: async (fx) => ({ params: { id: (await fx.newConversation(fx.owner)).id }, body: { content: 'hi', reply: false } }),
  },
  {
    route: 'GET /api/v1/conversations/{id}/messages',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: (await fx.sharedConversation()).id } }),
  },
  {
    route: 'POST /api/v1/conversations/{id}/messages/{messageId}/feedback',
    anonymous: 401, owner: 201, other: 403, operator: 201, admin: 201,
    call: async (fx) => {
      const { id, messageId } = await fx.sharedConversation();
      return { params: { id, messageId }, body: { rating: 'up' } };
    },
  },
  {
    route: 'GET /api/v1/conversations/{id}/stats',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: (await fx.sharedConversation()).id } }),
  },
  {
    route: 'GET /api/v1/conversations/{id}/export',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: (await fx.sharedConversation()).id } }),
  },

  // ---- billing: the caller's own subscription, usage, credits and invoices; plans and credits
  // are the admins' to change; operators read a user's usage and invoices (support)
  {
    route: 'GET /api/v1/billing/plans',
    anonymous: 200, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/billing/subscription',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    // To the plan the caller is already on: answered 200, nothing changes.
    route: 'POST /api/v1/billing/subscription',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
    call: async (fx) => ({ body: { planId: await fx.shared('free-plan', () => fx.freePlanId()) } }),
  },
  {
    route: 'GET /api/v1/billing/usage',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/billing/credits',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/billing/invoices',
    anonymous: 401, owner: 200, other: 200, operator: 200, admin: 200,
  },
  {
    route: 'GET /api/v1/billing/invoices/{id}',
    anonymous: 401, owner: 200, other: 403, operator: 200, admin: 200,
    call: async (fx) => ({ params: { id: await fx.shared('invoice', () => fx.newInvoice(fx.owner)) } }),
  },
  {
    // A plan of its own per cell, so no seeded plan changes.
    route: 'PUT /api/v1/billing/plans/{id}',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 200,
    call: async (fx) => {
      const limits = { jobs: 1, processing_seconds: 1, storage_bytes: 1, embedding_documents: 1, messages: 1, tokens: 1 };
      return {
        params: { id: await createPlan(fx.t) },
        body: { name: 'Matrix', priceCents: 0, limits, overagePrices: limits, rateLimitTier: 'standard' },
      };
    },
  },
  {
    route: 'POST /api/v1/billing/users/{id}/credits',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 201,
    call: (fx, caller) => aFreshUser(fx, caller, { amount: 100, reason: 'matrix' }),
  },
  {
    route: 'GET /api/v1/billing/users/{id}/usage',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: (fx) => ({ params: { id: fx.owner.id } }),
  },
  {
    // Public; this configuration has no STRIPE_WEBHOOK_SECRET, so no event verifies: 400.
    route: 'POST /api/v1/billing/webhooks/stripe',
    anonymous: 400, owner: 400, other: 400, operator: 400, admin: 400,
    call: () => ({ body: { id: 'evt_matrix', object: 'event', type: 'invoice.paid' } }),
  },

  // ---- admin
  {
    route: 'GET /api/v1/admin/queues',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
  },
  {
    // Pausing and resuming the webhooks queue in turn leaves it as it was.
    route: 'POST /api/v1/admin/queues/{name}/pause',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: () => ({ params: { name: 'webhooks' } }),
  },
  {
    route: 'POST /api/v1/admin/queues/{name}/resume',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: () => ({ params: { name: 'webhooks' } }),
  },
  {
    route: 'POST /api/v1/admin/queues/{name}/retry-failed',
    anonymous: 401, owner: 403, other: 403, operator: 200, admin: 200,
    call: () => ({ params: { name: 'webhooks' } }),
  },
  {
    route: 'POST /api/v1/admin/queues-dashboard/session',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 204,
  },
  {
    route: 'GET /api/v1/admin/audit-log',
    anonymous: 401, owner: 403, other: 403, operator: 403, admin: 200,
  },
];

/** Rows for routes the application serves outside its OpenAPI document, and why. */
const OUTSIDE_THE_DOCUMENT: Record<string, string> = {
  'GET /docs': 'Swagger UI, mounted beside the API rather than described by it',
  'GET /docs-json': 'the OpenAPI document itself',
  'GET /admin/queues-dashboard': 'Bull Board, mounted beside the API for browsers',
  'GET /admin/queues-dashboard/login': 'the queue dashboard’s sign-in page',
};

/** Routes of the OpenAPI document the matrix leaves out, each with its reason. None so far. */
const NOT_IN_THE_MATRIX: Record<string, string> = {};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the OpenAPI document, as `METHOD path`. */
async function documentedRoutes(): Promise<string[]> {
  const { paths } = JSON.parse(await renderOpenApiJson()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/**
 * Every controller route the running application mounts, as `METHOD path` in OpenAPI spelling,
 * read from the controllers' metadata: this catches a route hidden from the document.
 */
function mountedRoutes(app: INestApplication): string[] {
  const scanner = new MetadataScanner();
  const asList = (value: string | string[] | undefined): string[] =>
    Array.isArray(value) ? value : [value ?? ''];
  const routes: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prototype = metatype.prototype as Record<string, object>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        for (const base of asList(Reflect.getMetadata(PATH_METADATA, metatype))) {
          for (const sub of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
            const path = [API_PREFIX, base, sub]
              .flatMap((part) => part.split('/'))
              .filter(Boolean)
              .map((part) => part.replace(/^:(\w+)$/, '{$1}'))
              .join('/');
            routes.push(`${RequestMethod[method]} /${path}`);
          }
        }
      }
    }
  }
  return routes;
}

async function send(fx: Fixtures, row: Row, caller: Caller): Promise<Response> {
  const [method, template] = row.route.split(' ');
  const call = (await row.call?.(fx, caller)) ?? {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params?.[name];
    if (value === undefined) throw new Error(`${row.route}: its call gives no {${name}}`);
    return encodeURIComponent(value);
  });
  const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let request = fx.t.http[verb](path);
  const account = caller === 'anonymous' ? undefined : (call.as ?? fx.credentialsOf(caller));
  if (account) request = request.set(account.auth);
  if (call.file) return request.attach('file', call.file);
  return call.body === undefined ? request : request.send(call.body);
}

/** Like expect(status).toBe(expected), but a failure shows what the application answered. */
function expectStatus(response: Response, expected: number): void {
  if (response.status === expected) return;
  throw new Error(`expected ${expected}, got ${response.status}: ${response.text.slice(0, 500)}`);
}

describe('authorization matrix', () => {
  let t: TestApp;
  let fx: Fixtures;

  beforeAll(async () => {
    t = await startTestApp();
    const [owner, other, operator, admin] = await Promise.all([
      createAccount(t, UserRole.User, { name: 'Owner' }),
      createAccount(t, UserRole.User, { name: 'Other' }),
      createAccount(t, UserRole.Operator),
      createAccount(t, UserRole.Admin),
    ]);
    fx = new Fixtures(t, { owner, other, operator, admin });
  });
  afterAll(() => t.close());

  describe('the table', () => {
    it('lists every route of the application, and no route it does not have', async () => {
      const documented = await documentedRoutes();
      const listed = MATRIX.map((row) => row.route).filter((r) => !(r in OUTSIDE_THE_DOCUMENT));
      const expected = [...listed, ...Object.keys(NOT_IN_THE_MATRIX)];
      // Named on failure: routes the table misses, and rows for routes that do not exist.
      expect(documented.filter((route) => !expected.includes(route))).toEqual([]);
      expect(expected.filter((route) => !documented.includes(route))).toEqual([]);
    });

    it('lists every controller route the server mounts, even one hidden from the document', () => {
      const known = new Set([...MATRIX.map((row) => row.route), ...Object.keys(NOT_IN_THE_MATRIX)]);
      expect(mountedRoutes(t.app).filter((route) => !known.has(route))).toEqual([]);
    });

    it('has one row per route, with a status for every caller', () => {
      const routes = MATRIX.map((row) => row.route);
      expect(routes.filter((route, i) => routes.indexOf(route) !== i)).toEqual([]);
      for (const row of MATRIX) {
        expect(row.route).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/\S+$/);
        for (const caller of CALLERS) expect(row[caller]).toEqual(expect.any(Number));
      }
    });
  });

  describe.each(MATRIX)('$route', (row) => {
    it.each(CALLERS.map((caller) => [caller, row[caller]] as const))(
      '%s → %i',
      async (caller, expected) => {
        const response = await send(fx, row, caller);
        expectStatus(response, expected);
        if (expected >= 400) expectProblem(response, expected);
      },
    );
  });
});
