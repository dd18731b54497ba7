import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { ProviderKeyDto, ProviderParams, StoreProviderKeyDto } from './dto/provider-key.dto';
import { ProviderKeysService } from './provider-keys.service';
import { ProviderKind } from './provider-kind';

/** The class-typed params are invisible to the document generator: described here instead. */
const PROVIDER_PATH_PARAM = { name: 'provider', enum: ProviderKind, enumName: 'ProviderKind' };

@ApiTags('provider-keys')
@Controller('provider-keys')
export class ProviderKeysController {
  constructor(private readonly providerKeys: ProviderKeysService) {}

  @Get()
  @ApiOperation({ summary: 'The caller’s own provider keys, by their last four characters' })
  @ApiOkResponse({ type: [ProviderKeyDto] })
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<ProviderKeyDto[]> {
    return (await this.providerKeys.list(caller.id)).map(ProviderKeyDto.from);
  }

  @Put(':provider')
  @ApiOperation({
    summary: 'Store the caller’s own key for a provider, replacing any; used for their requests',
  })
  @ApiParam(PROVIDER_PATH_PARAM)
  @ApiOkResponse({ type: ProviderKeyDto })
  async store(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() { provider }: ProviderParams,
    @Body() body: StoreProviderKeyDto,
  ): Promise<ProviderKeyDto> {
    return ProviderKeyDto.from(await this.providerKeys.store(caller.id, provider, body.key));
  }

  @Delete(':provider')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the caller’s own key for a provider' })
  @ApiParam(PROVIDER_PATH_PARAM)
  @ApiNoContentResponse()
  async remove(
    @CurrentUser() caller: AuthenticatedUser,
    @Param() { provider }: ProviderParams,
  ): Promise<void> {
    await this.providerKeys.remove(caller.id, provider);
  }
}
