import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { isUUID } from 'class-validator';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthenticatedUser } from '../../../common/auth/authenticated-user';
import { AppConfig } from '../../../config/app-config';
import { UsersService } from '../../users/users.service';
import { AccessTokenClaims } from '../access-token.service';
import { toAuthenticatedUser } from '../identity';
import { jwtSecretKey } from '../jwt-secret';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly users: UsersService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: jwtSecretKey(config.auth.jwtSecret) as unknown as string,
      algorithms: ['HS256'],
    });
  }

  async validate(claims: AccessTokenClaims): Promise<AuthenticatedUser> {
    // Only Kiln signs these, but claims are still input: a subject that is no user id is no one
    // (the identity query would fail on it with a 500).
    if (!isUUID(claims.sub) || !isUUID(claims.sid)) {
      throw new UnauthorizedException('A valid access token or API key is required.');
    }
    const user = await this.users.findIdentity(claims.sub);
    return toAuthenticatedUser(user, { kind: 'jwt', sessionId: claims.sid });
  }
}
