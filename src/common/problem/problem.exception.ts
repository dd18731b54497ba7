import { HttpException } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An HTTP error that carries RFC 9457 extension members (for example `errors` for validation,
 * or `meter`, `limit` and `used` for a quota) and optional response headers.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly type = 'about:blank',
    readonly headers: Record<string, string> = {},
  ) {
    super(detail, status);
  }
}

export class ValidationProblemException extends ProblemException {
  constructor(errors: FieldError[]) {
    super(
      400,
      `The request is not valid: ${errors.length} field(s) failed validation.`,
      { errors },
      'https://kiln.dev/problems/validation-error',
    );
  }
}
