import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'kiln:isPublic';

/**
 * Opens a route to anonymous callers; every other route requires authentication. The extension
 * tells the OpenAPI document to list no security requirement for it (see http/openapi.ts).
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-kiln-public', true));
