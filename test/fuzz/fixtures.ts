import { UserRole } from '../../src/common/auth/role';
import { createAccount, TestAccount } from '../support/accounts';
import { TestApp } from '../support/test-app';
import { FixtureKind } from './fuzz-request';
import { TINY_PNG } from './multipart-bodies';

/** The document every collection fixture holds, by the id the caller gave it. */
const DOCUMENT_ID = 'doc';

/** The fields of the answers fixtures are made from. */
interface Answer {
  id: string;
  accessToken: string;
  message: { id: string };
}

/** A fixture could not be made because the owner's plan is used up (402). */
class OverQuota extends Error {}

/** Kinds that live inside another fixture: remaking one remakes its parent. */
const PARENT: Partial<Record<FixtureKind, FixtureKind>> = {
  document: 'collection',
  message: 'conversation',
};

/**
 * The signed-in callers (the owner, another user, an admin) and the owner's resources that path
 * parameters and body fields name. Each fixture is made on first use through the API, and made
 * again after a request that succeeded may have consumed it (deleted, archived, revoked,
 * requeued): fuzzed requests are meant to be malformed, but some are valid and do what they say.
 */
export class Fixtures {
  owner: TestAccount;
  other: TestAccount;
  admin: TestAccount;
  /** Set when fixtures or callers were made since the runner last looked: rows were written. */
  changed = false;
  private readonly made = new Map<FixtureKind, Promise<Record<string, string>>>();

  constructor(private readonly t: TestApp) {}

  async start(): Promise<void> {
    [this.owner, this.other, this.admin] = await Promise.all([
      createAccount(this.t, UserRole.User, { name: 'Fuzz owner' }),
      createAccount(this.t, UserRole.User, { name: 'Fuzz other' }),
      createAccount(this.t, UserRole.Admin, { name: 'Fuzz admin' }),
    ]);
  }

  /** Makes the fixtures of these kinds that do not exist yet; returns their ids. */
  async ids(kinds: Iterable<FixtureKind>): Promise<Map<FixtureKind, string>> {
    const ids = new Map<FixtureKind, string>();
    for (const kind of kinds) ids.set(kind, await this.idOf(kind));
    return ids;
  }

  /** Forgets fixtures a successful request may have changed, so they are made again. */
  forget(kinds: Iterable<FixtureKind>): void {
    for (const kind of kinds) {
      this.made.delete(PARENT[kind] ?? kind);
    }
  }

  /**
   * After a request that succeeded: every caller must still be able to sign in with its token
   * and keep its role. A caller that cannot (a session revoked, an account deactivated, deleted
   * or given another role by the admin, say) is replaced, and the owner's fixtures with it.
   */
  async keepCallersUsable(): Promise<void> {
    if (!(await this.works(this.owner, UserRole.User))) await this.replaceOwner();
    this.other = await this.usable(this.other, UserRole.User, 'Fuzz other');
    this.admin = await this.usable(this.admin, UserRole.Admin, 'Fuzz admin');
  }

  /** The account if it still works in its role, or else a new one. */
  private async usable(account: TestAccount, role: UserRole, name: string): Promise<TestAccount> {
    if (await this.works(account, role)) return account;
    this.changed = true;
    return createAccount(this.t, role, { name });
  }

  private async works(account: TestAccount, role: UserRole): Promise<boolean> {
    const me = await this.t.http.get('/api/v1/auth/me').set(account.auth);
    return me.status === 200 && (me.body as { role: string }).role === role;
  }

  private async idOf(kind: FixtureKind): Promise<string> {
    if (kind === 'user') return this.owner.id;
    const parent = PARENT[kind] ?? kind;
    if (!this.made.has(parent)) {
      this.changed = true;
      const making = this.makeForOwner(parent);
      this.made.set(parent, making);
      // A failed attempt is not kept: the next request tries again (and reports the failure).
      making.catch(() => this.made.delete(parent));
    }
    const ids = await this.made.get(parent)!;
    return ids[kind];
  }

  /** Makes a fixture; when successful requests have used up the owner's plan, a new owner. */
  private async makeForOwner(kind: FixtureKind): Promise<Record<string, string>> {
    try {
      return await this.make(kind);
    } catch (error) {
      if (!(error instanceof OverQuota)) throw error;
      await this.replaceOwner(kind);
      return this.make(kind);
    }
  }

  /** A new owner; the old owner's fixtures are forgotten (but the one being made). */
  private async replaceOwner(keep?: FixtureKind): Promise<void> {
    this.owner = await createAccount(this.t, UserRole.User, { name: 'Fuzz owner' });
    for (const kind of [...this.made.keys()]) if (kind !== keep) this.made.delete(kind);
    this.changed = true;
  }

  private async make(kind: FixtureKind): Promise<Record<string, string>> {
    switch (kind) {
      case 'project':
        return { project: (await this.post('/api/v1/projects', { name: 'fuzz' }, 201)).id };
      case 'media': {
        const response = await this.t.http
          .post('/api/v1/media')
          .set(this.owner.auth)
          .attach('file', TINY_PNG, 'fixture.png');
        return { media: this.expect(response, 201, 'POST /media').id };
      }
      case 'job': {
        // A job that has ended (cancelled while queued): its event stream closes at once, and no
        // worker spends time on it.
        const job = await this.post(
          '/api/v1/jobs',
          {
            type: 'generate',
            params: { prompt: 'fuzz', durationSec: 1, resolution: '480p', quality: 'low' },
          },
          202,
        );
        await this.post(`/api/v1/jobs/${job.id}/cancel`, undefined, 200);
        return { job: job.id };
      }
      case 'webhook': {
        // Subscribed to failures only: no fixture job fails, so no delivery is ever written.
        const body = { url: 'https://93.184.215.14/kiln-fuzz', events: ['job.failed'] };
        return { webhook: (await this.post('/api/v1/webhooks', body, 201)).id };
      }
      case 'collection': {
        const collection = await this.post('/api/v1/embeddings/collections', { name: 'fuzz' }, 201);
        await this.post(
          `/api/v1/embeddings/collections/${collection.id}/documents`,
          { documents: [{ id: DOCUMENT_ID, text: 'The fuzz fixture document.' }] },
          201,
        );
        return { collection: collection.id, document: DOCUMENT_ID };
      }
      case 'conversation': {
        const conversation = await this.post('/api/v1/conversations', { title: 'fuzz' }, 201);
        const posted = await this.post(
          `/api/v1/conversations/${conversation.id}/messages`,
          { content: 'fuzz message', reply: false },
          201,
        );
        return { conversation: conversation.id, message: posted.message.id };
      }
      case 'session': {
        // Another sign-in of the owner, so revoking it leaves the owner's own token working.
        const login = await this.t.http
          .post('/api/v1/auth/login')
          .send({ email: this.owner.email, password: this.owner.password });
        const token = this.expect(login, 200, 'POST /auth/login').accessToken as string;
        const sessions = await this.t.http
          .get('/api/v1/auth/sessions')
          .set({ Authorization: `Bearer ${token}` });
        const list = this.expect(sessions, 200, 'GET /auth/sessions') as unknown as {
          id: string;
          current: boolean;
        }[];
        const current = list.find((s) => s.current);
        if (!current) throw new Error('fuzz fixture: no current session after login');
        return { session: current.id };
      }
      case 'apiKey':
        return { apiKey: (await this.post('/api/v1/api-keys', { name: 'fuzz' }, 201)).id };
      default:
        throw new Error(`fuzz fixture: no maker for ${kind}`);
    }
  }

  private async post(path: string, body: object | undefined, status: number) {
    const response = await this.t.http.post(path).set(this.owner.auth).send(body);
    return this.expect(response, status, `POST ${path}`);
  }

  private expect(
    response: { status: number; text: string; body: unknown },
    status: number,
    what: string,
  ): Answer {
    if (response.status === 402) throw new OverQuota(response.text);
    if (response.status !== status) {
      throw new Error(
        `fuzz fixture: ${what} answered ${response.status}, not ${status}: ${response.text.slice(0, 300)}`,
      );
    }
    return response.body as Answer;
  }
}
