import type { FastifyRequest } from 'fastify';
import { ClientInfo } from './sessions.service';

export function clientInfo(request: FastifyRequest): ClientInfo {
  return { userAgent: request.headers['user-agent'] ?? null, ip: request.ip ?? null };
}
