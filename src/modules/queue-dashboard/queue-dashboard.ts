import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  PROBLEM_CONTENT_TYPE,
  ProblemDetails,
  statusTitle,
} from '../../common/problem/problem-details';
import { toProblem } from '../../common/problem/to-problem';
import { API_SECURITY_HEADERS } from '../../http/security-headers';
import { QueuesAdminService } from '../jobs/queues-admin.service';
import { dashboardToken } from './dashboard-cookie';
import { LOGIN_PAGE, LOGIN_SCRIPT, refusedPage } from './dashboard-pages';
import { DashboardSessions } from './dashboard-sessions.service';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path';

/**
 * The API's headers, with a CSP that lets Bull Board's own scripts, styles and JSON calls run and
 * nothing else: in particular its page links a Google Fonts stylesheet, which this blocks, so the
 * dashboard loads nothing from the internet (it falls back to system fonts).
 */
const DASHBOARD_HEADERS = {
  ...API_SECURITY_HEADERS,
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'cache-control': 'no-store',
};

const logger = new Logger('QueueDashboard');

const isPageVisit = (request: FastifyRequest): boolean =>
  request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');

/**
 * Lets a request through only with the cookie of an active admin's session. A browser without
 * one is sent to the sign-in page, and shown a 403 page when refused; other requests (the
 * dashboard's own JSON calls, its assets) get problem+json. Returns the reply when it answered.
 */
async function admit(
  sessions: DashboardSessions,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  try {
    await sessions.admit(dashboardToken(request.headers.cookie));
    return undefined;
  } catch (error) {
    const { status, detail } = toProblem(error);
    if (status >= 500) logger.error({ err: error, requestId: request.id }, 'Unhandled error');
    if (isPageVisit(request) && status === 401) {
      return reply.redirect(`${QUEUE_DASHBOARD_PATH}/login`, 303);
    }
    if (isPageVisit(request)) {
      return reply.code(status).type('text/html; charset=utf-8').send(refusedPage(detail));
    }
    const problem: ProblemDetails = {
      type: 'about:blank',
      title: statusTitle(status),
      status,
      detail,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
    };
    return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(problem);
  }
}

/**
 * Mounts Bull Board at QUEUE_DASHBOARD_PATH, read-only (queues change through the audited
 * /api/v1/admin/queues routes), with its sign-in page beside it. Every request to the board
 * itself (page, assets, JSON) must carry an admin's dashboard session cookie.
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const sessions = app.get(DashboardSessions);
  const board = new FastifyAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: app
      .get(QueuesAdminService)
      .all()
      .map((queue) => new BullAdapter(queue, { readOnlyMode: true })),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'Kiln queues' } },
  });

  const routes: FastifyPluginAsync = async (dashboard) => {
    dashboard.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(DASHBOARD_HEADERS);
      done();
    });
    dashboard.get('/login', (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(LOGIN_PAGE),
    );
    dashboard.get('/login.js', (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(LOGIN_SCRIPT),
    );
    await dashboard.register(async (guarded) => {
      guarded.addHook('onRequest', (request, reply) => admit(sessions, request, reply));
      await guarded.register(board.registerPlugin());
    });
  };
  await app.register(routes, { prefix: QUEUE_DASHBOARD_PATH });
}
