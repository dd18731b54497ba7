import { ForbiddenException } from '@nestjs/common';
import { Actor } from './authenticated-user';
import { UserRole } from './role';

/**
 * The one ownership rule of every feature module: the owner, operators and admins may read;
 * the owner and admins may write; anyone else gets 403. (A missing id is the caller's 404.)
 */
export function canRead(actor: Pick<Actor, 'id' | 'role'>, ownerId: string): boolean {
  return actor.id === ownerId || actor.role === UserRole.Operator || actor.role === UserRole.Admin;
}

export function canWrite(actor: Pick<Actor, 'id' | 'role'>, ownerId: string): boolean {
  return actor.id === ownerId || actor.role === UserRole.Admin;
}

export function assertCanRead(actor: Pick<Actor, 'id' | 'role'>, ownerId: string): void {
  if (!canRead(actor, ownerId)) throw new ForbiddenException('This belongs to another user.');
}

export function assertCanWrite(actor: Pick<Actor, 'id' | 'role'>, ownerId: string): void {
  if (!canWrite(actor, ownerId)) throw new ForbiddenException('This belongs to another user.');
}
