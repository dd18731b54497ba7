import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { SessionDto } from './dto/session.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s active sessions (signed-in devices)' })
  @ApiOkResponse({ type: [SessionDto] })
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<SessionDto[]> {
    const current = caller.credential.kind === 'jwt' ? caller.credential.sessionId : undefined;
    return (await this.sessions.listActive(caller.id)).map((s) => SessionDto.from(s, current));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a session (the caller’s own; admins may revoke any)' })
  @ApiNoContentResponse()
  async revoke(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    await this.sessions.revoke(caller, id);
  }
}
