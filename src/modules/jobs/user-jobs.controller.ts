import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../common/auth/role';
import { Roles } from '../../common/auth/roles.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { JobDto } from './dto/job.dto';
import { ListJobsQuery } from './dto/list-jobs.query';
import { JobsService } from './jobs.service';

/** GET /users/:id/jobs lives with jobs, which the users module does not depend on. */
@ApiTags('users')
@Roles(UserRole.Admin, UserRole.Operator)
@Controller('users')
export class UserJobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':id/jobs')
  @ApiOperation({ summary: 'A user’s jobs (operators and admins)' })
  @ApiPageResponse(JobDto)
  async jobsOf(@UuidParam() id: string, @Query() query: ListJobsQuery): Promise<Page<JobDto>> {
    const page = await this.jobs.listOwnedBy(id, query);
    return { ...page, data: page.data.map(JobDto.from) };
  }
}
