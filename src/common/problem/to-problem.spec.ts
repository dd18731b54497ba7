import { BadRequestException, ConflictException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ChatProviderError } from '../../infra/providers/chat/chat-provider';
import { EmbeddingsServiceError } from '../../infra/providers/embeddings/openai-compatible.provider';
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
    ['22001', 400],
    ['22003', 400],
    ['22021', 400],
    ['22P05', 400],
    ['23502', 400],
  ])('maps PostgreSQL error %s to %i without leaking SQL', (code, status) => {
    const problem = toProblem(queryError(code));
    expect(problem.status).toBe(status);
    expect(problem.detail).not.toMatch(/secret_table|INSERT/);
  });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['a server shutting down', queryError('57P01')],
    ['a server still starting', Object.assign(new Error('starting up'), { code: '57P03' })],
    ['a connection exception', queryError('08006')],
    [
      'a connection dropped mid-query',
      new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
    ],
  ])('answers 503 with Retry-After for %s', (_, error) => {
    const problem = toProblem(error);
    expect(problem).toMatchObject({ status: 503, headers: { 'Retry-After': '2' } });
    expect(problem.detail).not.toMatch(/SELECT|ECONNREFUSED/);
  });

  it('answers 502 with the message for a failed model provider', () => {
    const problem = toProblem(new ChatProviderError('The chat service answered 401: bad key'));
    expect(problem).toEqual({ status: 502, detail: 'The chat service answered 401: bad key' });
    expect(
      toProblem(new EmbeddingsServiceError('The embeddings service answered 500')).status,
    ).toBe(502);
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
