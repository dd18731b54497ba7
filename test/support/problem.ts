import type { Response } from 'supertest';

/** Asserts the RFC 9457 shape every error answer must have, and returns the body. */
export function expectProblem(response: Response, status: number): Record<string, unknown> {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(response.text) as Record<string, unknown>;
  expect(body).toMatchObject({
    type: expect.any(String),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.any(String),
    requestId: response.headers['x-request-id'],
  });
  return body;
}
