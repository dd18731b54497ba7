import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserRole } from '../../common/auth/role';
import { Roles } from '../../common/auth/roles.decorator';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { AuditService } from './audit.service';
import { AuditEntryDto } from './dto/audit-entry.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('admin')
@Roles(UserRole.Admin)
@Controller('admin/audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Who did what to whom, when, from which IP; newest first' })
  @ApiPageResponse(AuditEntryDto)
  async list(@Query() query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    const page = await this.audit.list(query);
    return { ...page, data: page.data.map(AuditEntryDto.from) };
  }
}
