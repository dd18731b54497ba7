import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { AuthenticatedUser, Credential } from '../../common/auth/authenticated-user';
import { UserStatus } from '../../common/auth/role';
import { Identity } from '../users/users.service';

/**
 * Turns the user a credential names into the request's caller. Checked on every request, so a
 * deactivated or deleted account is refused at once, whatever credential it still holds.
 */
export function toAuthenticatedUser(
  user: Identity | null,
  credential: Credential,
): AuthenticatedUser {
  if (!user) throw new UnauthorizedException('The account no longer exists.');
  if (user.status !== UserStatus.Active)
    throw new ForbiddenException('The account is deactivated.');
  const { id, email, name, role, status, createdAt, updatedAt } = user;
  return { id, email, name, role, status, createdAt, updatedAt, credential };
}
