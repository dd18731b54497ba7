import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { UserStatus } from '../../common/auth/role';
import { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { AccessTokenService } from './access-token.service';
import { PasswordHasher } from './password-hasher';
import { ClientInfo, IssuedSession, SessionsService } from './sessions.service';

export interface AuthResult {
  user: User;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokenService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async register(
    input: { email: string; password: string; name?: string },
    client: ClientInfo,
  ): Promise<AuthResult> {
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.users.create({
      email: input.email,
      name: input.name ?? null,
      passwordHash,
    });
    return this.signIn(user, await this.sessions.start(user.id, client));
  }

  /** 401 for a wrong password or an unknown email alike, after the same bcrypt work. */
  async login(input: { email: string; password: string }, client: ClientInfo): Promise<AuthResult> {
    const user = await this.users.findByEmail(input.email);
    const valid = user
      ? await this.hasher.verify(input.password, user.passwordHash)
      : await this.hasher.verifyNothing(input.password);
    if (!user || !valid) throw new UnauthorizedException('The email or password is wrong.');
    if (user.status !== UserStatus.Active)
      throw new ForbiddenException('The account is deactivated.');
    return this.signIn(user, await this.sessions.start(user.id, client));
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<AuthResult> {
    const issued = await this.sessions.rotate(refreshToken, client);
    return this.signIn(await this.users.get(issued.userId), issued);
  }

  /** Changing the password signs out every other session. */
  async changePassword(
    caller: AuthenticatedUser,
    currentPassword: string,
    newPassword: string,
  ): Promise<void> {
    const user = await this.users.get(caller.id);
    if (!(await this.hasher.verify(currentPassword, user.passwordHash))) {
      throw new ForbiddenException('The current password is wrong.');
    }
    const passwordHash = await this.hasher.hash(newPassword);
    const keep = caller.credential.kind === 'jwt' ? caller.credential.sessionId : undefined;
    await this.dataSource.transaction(async (manager) => {
      await this.users.setPasswordHash(user.id, passwordHash, manager);
      await this.sessions.revokeAll(user.id, manager, keep);
    });
  }

  private async signIn(user: User, session: IssuedSession): Promise<AuthResult> {
    return {
      user,
      accessToken: await this.accessTokens.sign(user.id, session.sessionId),
      refreshToken: session.refreshToken,
      expiresIn: this.accessTokens.ttlSeconds,
    };
  }
}
