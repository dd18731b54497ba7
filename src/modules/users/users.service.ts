import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { UserRole, UserStatus } from '../../common/auth/role';
import { containsPattern } from '../../common/pagination/like-pattern';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { pgPool } from '../../infra/database/pg-pool';
import { AuditService } from '../audit/audit.service';
import { IdentityCache } from './identity-cache';
import { ListUsersQuery } from './dto/list-users.query';
import { User } from './entities/user.entity';
import { UserLockedOutListener } from './user-events';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string | null;
  role?: UserRole;
}

export type Identity = Pick<
  User,
  'id' | 'email' | 'name' | 'role' | 'status' | 'createdAt' | 'updatedAt'
>;

interface IdentityRow {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  status: UserStatus;
  created_at: Date;
  updated_at: Date;
}

const IDENTITY_QUERY = `SELECT id, email, name, role, status, created_at, updated_at
  FROM users WHERE id = $1 AND deleted_at IS NULL`;

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

@Injectable()
export class UsersService {
  private readonly lockedOutListeners: UserLockedOutListener[] = [];

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly identities: IdentityCache<Identity>,
  ) {}

  onLockedOut(listener: UserLockedOutListener): void {
    this.lockedOutListeners.push(listener);
  }

  /** 409 when the email is taken, whatever its case. */
  async create(user: NewUser, manager: EntityManager = this.users.manager): Promise<User> {
    const email = normalizeEmail(user.email);
    if (await manager.existsBy(User, { email })) {
      throw new ConflictException('An account with this email already exists.');
    }
    return manager.save(manager.create(User, { ...user, email }));
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** The user, deleted ones excluded; null when there is none. */
  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /**
   * The per-request identity check of the authentication guard, the hottest path of the
   * service: a cache that every change to the user clears at once, else one named statement on
   * the pool rather than a TypeORM query.
   */
  async findIdentity(id: string): Promise<Identity | null> {
    const cached = this.identities.get(id);
    if (cached) return cached;
    const { rows } = await pgPool(this.dataSource).query<IdentityRow>({
      name: 'users.find-identity',
      text: IDENTITY_QUERY,
      values: [id],
    });
    const row = rows[0];
    if (!row) return null;
    const identity: Identity = {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
    this.identities.set(id, identity);
    return identity;
  }

  async get(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('No such user.');
    return user;
  }

  async list(query: ListUsersQuery): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u');
    if (query.search) {
      qb.andWhere('(u.email ILIKE :search OR u.name ILIKE :search)', {
        search: containsPattern(query.search),
      });
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.status) qb.andWhere('u.status = :status', { status: query.status });
    const [data, total] = await qb
      .orderBy('u.createdAt', 'DESC')
      .addOrderBy('u.id', 'DESC')
      .skip(pageOffset(query))
      .take(query.limit)
      .getManyAndCount();
    return toPage(data, total, query);
  }

  async updateProfile(id: string, changes: { name?: string | null }): Promise<User> {
    const user = await this.get(id);
    if (changes.name !== undefined) user.name = changes.name;
    await this.users.save(user);
    await this.identities.invalidate(id);
    return user;
  }

  async setPasswordHash(id: string, passwordHash: string, manager: EntityManager): Promise<void> {
    await manager.update(User, { id }, { passwordHash });
  }

  async changeRole(actor: Actor, id: string, role: UserRole): Promise<User> {
    return this.changeUser(id, async (manager) => {
      const user = await this.lock(manager, id);
      const from = user.role;
      user.role = role;
      await manager.save(user);
      await this.audit.record(manager, actor, {
        action: 'user.role_changed',
        targetType: 'user',
        targetId: id,
        details: { from, to: role },
      });
      return user;
    });
  }

  async setStatus(actor: Actor, id: string, status: UserStatus): Promise<User> {
    return this.changeUser(id, async (manager) => {
      const user = await this.lock(manager, id);
      if (user.status === status) return user;
      user.status = status;
      await manager.save(user);
      if (status === UserStatus.Deactivated) await this.notifyLockedOut(id, manager);
      await this.audit.record(manager, actor, {
        action: status === UserStatus.Deactivated ? 'user.deactivated' : 'user.activated',
        targetType: 'user',
        targetId: id,
      });
      return user;
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.changeUser(id, async (manager) => {
      const user = await this.lock(manager, id);
      await manager.softRemove(user);
      await this.notifyLockedOut(id, manager);
      await this.audit.record(manager, actor, {
        action: 'user.deleted',
        targetType: 'user',
        targetId: id,
        details: { email: user.email },
      });
    });
  }

  /**
   * Creates the account as an active admin, or promotes and activates it when it exists (the
   * first admin, from configuration or the command line); a promotion is audited as the system's.
   */
  async ensureAdmin(email: string, passwordHash: string): Promise<User> {
    const normalized = normalizeEmail(email);
    const existing = await this.findByEmail(normalized);
    if (!existing) return this.create({ email, passwordHash, role: UserRole.Admin });
    return this.changeUser(existing.id, async (manager) => {
      const user = await this.lock(manager, existing.id);
      if (user.role === UserRole.Admin && user.status === UserStatus.Active) return user;
      const from = user.role;
      Object.assign(user, { role: UserRole.Admin, status: UserStatus.Active });
      await manager.save(user);
      await this.audit.record(manager, null, {
        action: 'user.role_changed',
        targetType: 'user',
        targetId: user.id,
        details: { from, to: UserRole.Admin, by: 'admin bootstrap' },
      });
      return user;
    });
  }

  /** Runs a change to one user in a transaction, then clears its cached identity everywhere. */
  private async changeUser<T>(
    id: string,
    change: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    const result = await this.dataSource.transaction(change);
    await this.identities.invalidate(id);
    return result;
  }

  /** Loads the row FOR UPDATE so concurrent admin changes to one user apply one after the other. */
  private async lock(manager: EntityManager, id: string): Promise<User> {
    const user = await manager.findOne(User, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!user) throw new NotFoundException('No such user.');
    return user;
  }

  private async notifyLockedOut(id: string, manager: EntityManager): Promise<void> {
    for (const listener of this.lockedOutListeners) await listener(id, manager);
  }
}
