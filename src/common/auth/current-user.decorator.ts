import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Actor, AuthenticatedUser } from './authenticated-user';

type AuthenticatedRequest = FastifyRequest & { user: AuthenticatedUser };

/** The authenticated caller. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().user,
);

/** The caller as an actor: id, role and the IP the request came from. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return { id: request.user.id, role: request.user.role, ip: request.ip ?? null };
});
