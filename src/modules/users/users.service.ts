import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { UserRole, UserStatus } from '../../common/auth/role';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { AuditService } from '../audit/audit.service';
import { ListUsersQuery } from './dto/list-users.query';
import { User } from './entities/user.entity';
import { UserLockedOutListener } from './user-events';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string | null;
  role?: UserRole;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

@Injectable()
export class UsersService {
  private readonly lockedOutListeners: UserLockedOutListener[] = [];

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
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

  async get(id: string): Promise<User> {
    const user = await this.findById(id);
    if (!user) throw new NotFoundException('No such user.');
    return user;
  }

  async list(query: ListUsersQuery): Promise<Page<User>> {
    const qb = this.users.createQueryBuilder('u');
    if (query.search) {
      qb.andWhere('(u.email ILIKE :search OR u.name ILIKE :search)', {
        search: `%${query.search.replace(/[\\%_]/g, '\\$&')}%`,
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
    return this.users.save(user);
  }

  async setPasswordHash(id: string, passwordHash: string, manager: EntityManager): Promise<void> {
    await manager.update(User, { id }, { passwordHash });
  }

  async changeRole(actor: Actor, id: string, role: UserRole): Promise<User> {
    return this.dataSource.transaction(async (manager) => {
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
    return this.dataSource.transaction(async (manager) => {
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
    await this.dataSource.transaction(async (manager) => {
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
