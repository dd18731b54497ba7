import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../common/auth/authenticated-user';
import { CurrentActor } from '../../common/auth/current-user.decorator';
import { UserRole, UserStatus } from '../../common/auth/role';
import { Roles } from '../../common/auth/roles.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { ListProjectsQuery } from '../projects/dto/list-projects.query';
import { ProjectDto } from '../projects/dto/project.dto';
import { ProjectsService } from '../projects/projects.service';
import { ChangeRoleDto } from './dto/change-role.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Roles(UserRole.Admin, UserRole.Operator)
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly projects: ProjectsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List users (operators and admins)' })
  @ApiPageResponse(UserDto)
  async list(@Query() query: ListUsersQuery): Promise<Page<UserDto>> {
    const page = await this.users.list(query);
    return { ...page, data: page.data.map(UserDto.from) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user (operators and admins)' })
  @ApiOkResponse({ type: UserDto })
  async get(@UuidParam() id: string): Promise<UserDto> {
    return UserDto.from(await this.users.get(id));
  }

  @Get(':id/projects')
  @ApiOperation({ summary: 'A user’s projects (operators and admins)' })
  @ApiPageResponse(ProjectDto)
  async projectsOf(
    @UuidParam() id: string,
    @Query() query: ListProjectsQuery,
  ): Promise<Page<ProjectDto>> {
    await this.users.get(id);
    const page = await this.projects.listOwnedBy(id, query);
    return { ...page, data: page.data.map(ProjectDto.from) };
  }

  @Patch(':id/role')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Change a user’s role (admins); audited' })
  @ApiOkResponse({ type: UserDto })
  async changeRole(
    @CurrentActor() actor: Actor,
    @UuidParam() id: string,
    @Body() body: ChangeRoleDto,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.changeRole(actor, id, body.role));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Deactivate (admins): sessions revoked, API keys refused; audited' })
  @ApiOkResponse({ type: UserDto })
  async deactivate(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<UserDto> {
    return UserDto.from(await this.users.setStatus(actor, id, UserStatus.Deactivated));
  }

  @Post(':id/activate')
  @HttpCode(200)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Activate again (admins); audited' })
  @ApiOkResponse({ type: UserDto })
  async activate(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<UserDto> {
    return UserDto.from(await this.users.setStatus(actor, id, UserStatus.Active));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Soft-delete (admins); audited' })
  @ApiNoContentResponse()
  async remove(@CurrentActor() actor: Actor, @UuidParam() id: string): Promise<void> {
    await this.users.remove(actor, id);
  }
}
