import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserRole, UserStatus } from '../../common/auth/role';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { User } from '../users/entities/user.entity';
import { normalizeEmail, UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';

/** The first admin: from ADMIN_EMAIL / ADMIN_PASSWORD at start, or `npm run cli -- create-admin`. */
@Injectable()
export class AdminAccountsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminAccountsService.name);

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.admin;
    if (admin) await this.ensureAdmin(admin.email, admin.password);
  }

  /** Creates the account as an active admin, or promotes and activates it when it exists. */
  async ensureAdmin(email: string, password: string): Promise<User> {
    const passwordHash = await this.hasher.hash(password);
    const user = await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOne(User, {
        where: { email: normalizeEmail(email) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) {
        return this.users.create({ email, passwordHash, role: UserRole.Admin }, manager);
      }
      if (existing.role === UserRole.Admin && existing.status === UserStatus.Active)
        return existing;
      const from = existing.role;
      Object.assign(existing, { role: UserRole.Admin, status: UserStatus.Active });
      await manager.save(existing);
      await this.audit.record(manager, null, {
        action: 'user.role_changed',
        targetType: 'user',
        targetId: existing.id,
        details: { from, to: UserRole.Admin, by: 'admin bootstrap' },
      });
      return existing;
    });
    this.logger.log(`Admin account ready: ${user.email}`);
    return user;
  }
}
