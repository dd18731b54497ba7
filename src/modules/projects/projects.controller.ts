import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { CreateProjectDto, ProjectDto, UpdateProjectDto } from './dto/project.dto';
import { ProjectStatsDto } from './dto/project-stats.dto';
import { ListProjectsQuery } from './dto/list-projects.query';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a project' })
  @ApiCreatedResponse({ type: ProjectDto })
  async create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateProjectDto,
  ): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.create(caller, body));
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s projects (operators and admins may pass ownerId)' })
  @ApiPageResponse(ProjectDto)
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ListProjectsQuery,
  ): Promise<Page<ProjectDto>> {
    const page = await this.projects.list(caller, query);
    return { ...page, data: page.data.map(ProjectDto.from) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One project' })
  @ApiOkResponse({ type: ProjectDto })
  async get(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.get(caller, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, describe, archive or unarchive a project' })
  @ApiOkResponse({ type: ProjectDto })
  async update(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() body: UpdateProjectDto,
  ): Promise<ProjectDto> {
    return ProjectDto.from(await this.projects.update(caller, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a project (soft)' })
  @ApiNoContentResponse()
  async remove(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    await this.projects.remove(caller, id);
  }

  @Get(':id/stats')
  @ApiOperation({ summary: 'Jobs by status, media count and bytes, conversations count' })
  @ApiOkResponse({ type: ProjectStatsDto })
  stats(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
  ): Promise<ProjectStatsDto> {
    return this.projects.stats(caller, id);
  }
}
