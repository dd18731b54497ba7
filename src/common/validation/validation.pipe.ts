import { ValidationPipe } from '@nestjs/common';
import { ValidationProblemException } from '../problem/problem.exception';
import { toFieldErrors } from './field-errors';

/** Rejects unknown fields and lists every offending field in one 400 answer. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblemException(toFieldErrors(errors)),
  });
}
