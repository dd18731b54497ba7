import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { UserRole } from '../../common/auth/role';
import { AppConfig } from '../../config/app-config';
import { toAuthenticatedUser } from '../auth/identity';
import { UsersService } from '../users/users.service';

interface DashboardClaims {
  sub: string;
  sid: string;
}

/**
 * Sessions of the queue dashboard: a JWT in a cookie, signed with a key of its own (so it is
 * never accepted as an access token, nor an access token as it), living as long as an access
 * token. Every dashboard request checks it again, with the account as it is now.
 */
@Injectable()
export class DashboardSessions {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.auth.accessTtlSec;
  }

  /** A session for an admin signed in with an access token. */
  issue(caller: AuthenticatedUser): Promise<string> {
    if (caller.credential.kind !== 'jwt') {
      throw new ForbiddenException(
        'Open the queue dashboard with an access token, not an API key.',
      );
    }
    const claims: DashboardClaims = { sub: caller.id, sid: caller.credential.sessionId };
    return this.jwt.signAsync(claims, { expiresIn: this.ttlSeconds });
  }

  /** The admin a session token belongs to: 401 without a valid one, 403 unless an active admin. */
  async admit(token: string | undefined): Promise<AuthenticatedUser> {
    if (!token) throw new UnauthorizedException('Sign in to open the queue dashboard.');
    const claims = await this.jwt.verifyAsync<DashboardClaims>(token).catch(() => {
      throw new UnauthorizedException('The dashboard session is not valid or has expired.');
    });
    const caller = toAuthenticatedUser(await this.users.findIdentity(claims.sub), {
      kind: 'jwt',
      sessionId: claims.sid,
    });
    if (caller.role !== UserRole.Admin) {
      throw new ForbiddenException('Only admins may open the queue dashboard.');
    }
    return caller;
  }
}
