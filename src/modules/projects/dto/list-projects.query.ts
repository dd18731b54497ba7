import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { ProjectStatus } from '../entities/project.entity';

export const PROJECT_SORTS = [
  'createdAt',
  '-createdAt',
  'updatedAt',
  '-updatedAt',
  'name',
  '-name',
] as const;
export type ProjectSort = (typeof PROJECT_SORTS)[number];

export class ListProjectsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name, case-insensitive' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: ProjectStatus, enumName: 'ProjectStatus' })
  @IsOptional()
  @IsEnum(ProjectStatus)
  status?: ProjectStatus;

  @ApiPropertyOptional({
    enum: PROJECT_SORTS,
    default: '-createdAt',
    description: '`-` for descending',
  })
  @IsOptional()
  @IsIn(PROJECT_SORTS)
  sort: ProjectSort = '-createdAt';

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Operators and admins: list this user’s projects instead of their own',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string;
}
