import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { FieldError } from './problem.exception';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

class FieldErrorDto implements FieldError {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

/** The body of every error answer (RFC 9457); also the schema the OpenAPI document shows. */
export class ProblemDetails {
  @ApiProperty({ example: 'about:blank' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status: number;

  @ApiProperty({ example: 'The request is not valid: 1 field(s) failed validation.' })
  detail: string;

  @ApiProperty({ example: '/api/v1/projects' })
  instance: string;

  @ApiProperty({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' })
  requestId: string;

  @ApiPropertyOptional({ type: [FieldErrorDto] })
  errors?: FieldError[];

  [extension: string]: unknown;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
