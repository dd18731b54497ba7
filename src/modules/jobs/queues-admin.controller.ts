import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/authenticated-user';
import { CurrentActor } from '../../common/auth/current-user.decorator';
import { UserRole } from '../../common/auth/role';
import { Roles } from '../../common/auth/roles.decorator';
import { QueueCountsDto, RetriedJobsDto } from './dto/queue-counts.dto';
import { QueuesAdminService } from './queues-admin.service';

@ApiTags('admin')
@Roles(UserRole.Admin, UserRole.Operator)
@Controller('admin/queues')
export class QueuesAdminController {
  constructor(private readonly queues: QueuesAdminService) {}

  @Get()
  @ApiOperation({ summary: 'Waiting, active, delayed, failed and completed counts per queue' })
  @ApiOkResponse({ type: [QueueCountsDto] })
  list(): Promise<QueueCountsDto[]> {
    return this.queues.counts();
  }

  @Post(':name/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a queue (every worker stops taking its jobs); audited' })
  @ApiOkResponse({ type: QueueCountsDto })
  pause(@CurrentActor() actor: Actor, @Param('name') name: string): Promise<QueueCountsDto> {
    return this.queues.pause(actor, name);
  }

  @Post(':name/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused queue; audited' })
  @ApiOkResponse({ type: QueueCountsDto })
  resume(@CurrentActor() actor: Actor, @Param('name') name: string): Promise<QueueCountsDto> {
    return this.queues.resume(actor, name);
  }

  @Post(':name/retry-failed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry every failed job of a queue; audited' })
  @ApiOkResponse({ type: RetriedJobsDto })
  retryFailed(@CurrentActor() actor: Actor, @Param('name') name: string): Promise<RetriedJobsDto> {
    return this.queues.retryFailed(actor, name);
  }
}
