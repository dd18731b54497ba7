import { Body, Controller, Delete, Get, HttpCode, Post } from '@nestjs/common';
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
import { ApiKeysService } from './api-keys.service';
import { ApiKeyDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key; the key is shown only in this answer' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateApiKeyDto,
  ): Promise<CreatedApiKeyDto> {
    const { apiKey, key } = await this.apiKeys.create(caller.id, body);
    return { ...ApiKeyDto.from(apiKey), key };
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s API keys, without secrets' })
  @ApiOkResponse({ type: [ApiKeyDto] })
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<ApiKeyDto[]> {
    return (await this.apiKeys.list(caller.id)).map(ApiKeyDto.from);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an API key (the caller’s own; admins may delete any)' })
  @ApiNoContentResponse()
  async remove(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    await this.apiKeys.remove(caller, id);
  }
}
