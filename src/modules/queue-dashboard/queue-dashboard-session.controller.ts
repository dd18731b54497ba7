import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { UserRole } from '../../common/auth/role';
import { Roles } from '../../common/auth/roles.decorator';
import { DASHBOARD_COOKIE, dashboardCookie } from './dashboard-cookie';
import { DashboardSessions } from './dashboard-sessions.service';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path';

@ApiTags('admin')
@Roles(UserRole.Admin)
@Controller('admin/queues-dashboard')
export class QueueDashboardSessionController {
  constructor(private readonly sessions: DashboardSessions) {}

  @Post('session')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Open the queue dashboard in this browser (admins, with an access token)',
    description:
      `Sets the \`${DASHBOARD_COOKIE}\` cookie (HttpOnly, SameSite=Strict, Path=${QUEUE_DASHBOARD_PATH}, ` +
      'as long-lived as an access token) that the dashboard asks for. Its sign-in page ' +
      `(${QUEUE_DASHBOARD_PATH}/login) calls this.`,
  })
  @ApiNoContentResponse({
    description: 'The session cookie is set',
    headers: { 'Set-Cookie': { schema: { type: 'string' } } },
  })
  @ApiForbiddenResponse({ description: 'Not an admin, or signed in with an API key' })
  async open(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = await this.sessions.issue(caller);
    const secure = request.protocol === 'https';
    void reply.header('set-cookie', dashboardCookie(token, this.sessions.ttlSeconds, secure));
  }
}
