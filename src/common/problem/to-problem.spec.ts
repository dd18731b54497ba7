import { BadRequestException, ConflictException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemException, ValidationProblemException } from './problem.exception';
import { toProblem } from './to-problem';

function queryError(code: string): QueryFailedError {
  return new QueryFailedError(
    'INSERT INTO secret_table',
    [],
    Object.assign(new Error('x'), { code }),
  );
}

describe('toProblem', () => {
  it('keeps the status, type and extensions of a ProblemException', () => {
    const problem = toProblem(
      new ProblemException(
        402,
        'Over quota',
        { meter: 'jobs' },
        'https://kiln.dev/problems/quota',
        {
          'Retry-After': '5',
        },
      ),
    );
    expect(problem).toEqual({
      status: 402,
      detail: 'Over quota',
      type: 'https://kiln.dev/problems/quota',
      extensions: { meter: 'jobs' },
      headers: { 'Retry-After': '5' },
    });
  });

  it('carries the field list of a validation problem', () => {
    const problem = toProblem(new ValidationProblemException([{ field: 'a', message: 'bad' }]));
    expect(problem.status).toBe(400);
    expect(problem.extensions).toEqual({ errors: [{ field: 'a', message: 'bad' }] });
  });

  it('reads the message of Nest HTTP exceptions, joined when it is a list', () => {
    expect(toProblem(new ConflictException('Email taken'))).toEqual({
      status: 409,
      detail: 'Email taken',
    });
    expect(toProblem(new BadRequestException(['a is bad', 'b is bad'])).detail).toBe(
      'a is bad; b is bad',
    );
  });

  it('maps Fastify client errors to their status', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toProblem(tooLarge)).toEqual({ status: 413, detail: 'Request body is too large' });
  });

  it.each([
    ['23505', 409],
    ['23503', 409],
    ['22P02', 400],
  ])('maps PostgreSQL error %s to %i without leaking SQL', (code, status) => {
    const problem = toProblem(queryError(code));
    expect(problem.status).toBe(status);
    expect(problem.detail).not.toMatch(/secret_table|INSERT/);
  });

  it('answers 500 with no internals for anything else', () => {
    expect(toProblem(queryError('XX000')).status).toBe(500);
    const problem = toProblem(new TypeError('cannot read x of undefined'));
    expect(problem.status).toBe(500);
    expect(problem.detail).not.toMatch(/undefined/);
    expect(toProblem(Object.assign(new Error('not fastify'), { statusCode: 418 })).status).toBe(
      500,
    );
  });
});
