import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { UserRole } from './role';

export const ROLES = 'kiln:roles';

/** Restricts a route to the given roles; anyone else gets 403. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(ROLES, roles),
    ApiForbiddenResponse({ description: `Only for: ${roles.join(', ')}` }),
  );
