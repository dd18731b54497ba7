import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { UserStatus } from '../../common/auth/role';
import { AppConfig } from '../../config/app-config';
import { Mailer } from '../mail/mailer';
import { UsersService } from '../users/users.service';
import { PasswordResetToken } from './entities/password-reset-token.entity';
import { PasswordHasher } from './password-hasher';
import { randomSecret, sha256Hex } from './secret-token';
import { SessionsService } from './sessions.service';

@Injectable()
export class PasswordResetService {
  private readonly logger = new Logger(PasswordResetService.name);

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Answers at once, whether or not the account exists; the token and the mail are made after
   * the answer, so neither the answer nor its timing tells whether the email is registered.
   */
  request(email: string): void {
    setImmediate(() => {
      this.sendResetMail(email).catch((error: unknown) =>
        this.logger.error({ err: error }, 'Could not send a password-reset mail'),
      );
    });
  }

  /** Sets the new password and revokes every session; 400 for an unknown, used or expired token. */
  async confirm(token: string, newPassword: string): Promise<void> {
    const passwordHash = await this.hasher.hash(newPassword);
    const applied = await this.dataSource.transaction(async (manager) => {
      const used = await manager.update(
        PasswordResetToken,
        { tokenHash: sha256Hex(token), usedAt: IsNull(), expiresAt: MoreThan(new Date()) },
        { usedAt: new Date() },
      );
      if (!used.affected) return false;
      const { userId } = await manager.findOneByOrFail(PasswordResetToken, {
        tokenHash: sha256Hex(token),
      });
      await this.users.setPasswordHash(userId, passwordHash, manager);
      await this.sessions.revokeAll(userId, manager);
      return true;
    });
    if (!applied) throw new BadRequestException('The reset token is invalid or has expired.');
  }

  private async sendResetMail(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || user.status !== UserStatus.Active) return;
    const token = randomSecret(32);
    const ttlMin = this.config.auth.passwordResetTtlMin;
    await this.dataSource.manager.insert(PasswordResetToken, {
      userId: user.id,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(Date.now() + ttlMin * 60_000),
    });
    const link = `${this.config.auth.passwordResetUrl}?token=${encodeURIComponent(token)}`;
    await this.mailer.send({
      to: user.email,
      subject: 'Reset your Kiln password',
      text: [
        'Someone asked to reset the password of your Kiln account.',
        `To choose a new one, open this link within ${ttlMin} minutes:`,
        link,
        `Or use this reset token: ${token}`,
        'If it was not you, ignore this mail; your password stays as it is.',
      ].join('\n\n'),
    });
  }
}
