import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto';
import { MediaKind } from '../entities/media.entity';

export class ListMediaQuery extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  projectId?: string;

  @ApiPropertyOptional({ enum: MediaKind, enumName: 'MediaKind' })
  @IsOptional()
  @IsEnum(MediaKind)
  kind?: MediaKind;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Operators and admins: another owner’s media',
  })
  @IsOptional()
  @IsUUID()
  ownerId?: string;
}
