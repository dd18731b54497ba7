import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';

/** The first admin: from ADMIN_EMAIL / ADMIN_PASSWORD at start, or `npm run cli -- create-admin`. */
@Injectable()
export class AdminAccountsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminAccountsService.name);

  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const admin = this.config.auth.admin;
    if (admin) await this.ensureAdmin(admin.email, admin.password);
  }

  /** Creates the account as an active admin, or promotes and activates it when it exists. */
  async ensureAdmin(email: string, password: string): Promise<User> {
    const user = await this.users.ensureAdmin(email, await this.hasher.hash(password));
    this.logger.log(`Admin account ready: ${user.email}`);
    return user;
  }
}
