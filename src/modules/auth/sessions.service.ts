import { Injectable, NotFoundException, OnModuleInit, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, MoreThan, Not, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanWrite } from '../../common/auth/ownership';
import { UserStatus } from '../../common/auth/role';
import { AppConfig } from '../../config/app-config';
import { UsersService } from '../users/users.service';
import { AuthSession } from './entities/auth-session.entity';
import { RefreshToken } from './entities/refresh-token.entity';
import { randomSecret, sha256Hex } from './secret-token';

export interface ClientInfo {
  userAgent: string | null;
  ip: string | null;
}

export interface IssuedSession {
  userId: string;
  sessionId: string;
  refreshToken: string;
}

type RotationOutcome = IssuedSession | 'unknown' | 'reused' | 'expired';

/**
 * Refresh sessions. Each session is a family of refresh tokens: exchanging one spends it and
 * issues the next. A spent token presented again means it was stolen or replayed, so the whole
 * family is revoked.
 */
@Injectable()
export class SessionsService implements OnModuleInit {
  constructor(
    @InjectRepository(AuthSession) private readonly sessions: Repository<AuthSession>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.users.onLockedOut((userId, manager) => this.revokeAll(userId, manager));
  }

  async start(userId: string, client: ClientInfo): Promise<IssuedSession> {
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const session = await manager.save(
        manager.create(AuthSession, {
          userId,
          userAgent: client.userAgent?.slice(0, 512) ?? null,
          ip: client.ip,
          lastUsedAt: now,
          expiresAt: this.expiryFrom(now),
        }),
      );
      const refreshToken = await this.issueToken(manager, session.id);
      return { userId, sessionId: session.id, refreshToken };
    });
  }

  /** Spends a refresh token and returns the next one; 401 for anything but a live, unspent token. */
  async rotate(refreshToken: string, client: ClientInfo): Promise<IssuedSession> {
    const outcome = await this.dataSource.transaction((manager) =>
      this.rotateIn(manager, sha256Hex(refreshToken), client),
    );
    if (outcome === 'reused') {
      throw new UnauthorizedException(
        'This refresh token was already used; the session is revoked.',
      );
    }
    if (typeof outcome === 'string')
      throw new UnauthorizedException('The refresh token is not valid.');
    return outcome;
  }

  /** Logout: revokes the session the token belongs to, if it is the caller's. */
  async endByToken(userId: string, refreshToken: string): Promise<void> {
    const token = await this.dataSource.manager.findOneBy(RefreshToken, {
      tokenHash: sha256Hex(refreshToken),
    });
    if (!token) return;
    await this.sessions.update(
      { id: token.sessionId, userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
  }

  listActive(userId: string): Promise<AuthSession[]> {
    return this.sessions.find({
      where: { userId, revokedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      order: { lastUsedAt: 'DESC' },
    });
  }

  async revoke(actor: Pick<Actor, 'id' | 'role'>, sessionId: string): Promise<void> {
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!session || session.revokedAt) throw new NotFoundException('No such session.');
    assertCanWrite(actor, session.userId);
    await this.sessions.update({ id: sessionId }, { revokedAt: new Date() });
  }

  /** Revokes every session of the user but `keepSessionId` (the caller's own, when it has one). */
  async revokeAll(userId: string, manager: EntityManager, keepSessionId?: string): Promise<void> {
    await manager.update(
      AuthSession,
      { userId, revokedAt: IsNull(), ...(keepSessionId ? { id: Not(keepSessionId) } : {}) },
      { revokedAt: new Date() },
    );
  }

  private async rotateIn(
    manager: EntityManager,
    tokenHash: string,
    client: ClientInfo,
  ): Promise<RotationOutcome> {
    // Spending is one conditional UPDATE, so two concurrent exchanges of a token cannot both win.
    const spent = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ spentAt: () => 'now()' })
      .where('token_hash = :tokenHash AND spent_at IS NULL', { tokenHash })
      .returning('session_id')
      .execute();
    const sessionId = (spent.raw as { session_id: string }[])[0]?.session_id;
    if (!sessionId) {
      const replayed = await manager.findOneBy(RefreshToken, { tokenHash });
      if (!replayed) return 'unknown';
      await manager.update(AuthSession, { id: replayed.sessionId }, { revokedAt: new Date() });
      return 'reused';
    }
    const session = await manager.findOneByOrFail(AuthSession, { id: sessionId });
    const now = new Date();
    if (session.revokedAt || session.expiresAt <= now) return 'expired';
    const user = await this.users.findById(session.userId);
    if (!user || user.status !== UserStatus.Active) return 'expired';
    await manager.update(
      AuthSession,
      { id: sessionId },
      {
        lastUsedAt: now,
        expiresAt: this.expiryFrom(now),
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 512) ?? null,
      },
    );
    const refreshToken = await this.issueToken(manager, sessionId);
    return { userId: session.userId, sessionId, refreshToken };
  }

  private async issueToken(manager: EntityManager, sessionId: string): Promise<string> {
    const refreshToken = randomSecret(32);
    await manager.insert(RefreshToken, { sessionId, tokenHash: sha256Hex(refreshToken) });
    return refreshToken;
  }

  private expiryFrom(now: Date): Date {
    return new Date(now.getTime() + this.config.auth.refreshTtlDays * 86_400_000);
  }
}
