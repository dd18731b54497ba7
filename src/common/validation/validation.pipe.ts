import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidationProblemException } from '../problem/problem.exception';
import { toFieldErrors } from './field-errors';
import { nestsDeeperThan, unstorableTextPaths } from './input-checks';

/**
 * Deeper than any input Kiln takes. class-transformer walks input recursively, and a body
 * nested a thousand levels deep overflowed its stack (a 500).
 */
const MAX_INPUT_DEPTH = 64;

/**
 * Refuses a body or query that is nested too deep, or holds text PostgreSQL cannot store (NUL,
 * half a surrogate pair: class-validator's IsEmail even throws on the latter), before
 * class-transformer and class-validator see it.
 */
class KilnValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const where = metadata.data ?? '';
      if (nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
        throw new ValidationProblemException([
          { field: where || metadata.type, message: `nests deeper than ${MAX_INPUT_DEPTH} levels` },
        ]);
      }
      const unstorable = unstorableTextPaths(value, where);
      if (unstorable.length > 0) {
        throw new ValidationProblemException(
          unstorable.map((field) => ({
            field: field || metadata.type,
            message: 'holds a NUL character or broken Unicode',
          })),
        );
      }
    }
    return super.transform(value, metadata);
  }
}

/** Rejects unknown fields and lists every offending field in one 400 answer. */
export function createValidationPipe(): ValidationPipe {
  return new KilnValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblemException(toFieldErrors(errors)),
  });
}
