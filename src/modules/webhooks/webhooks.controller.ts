import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
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
import { CreateWebhookDto } from './dto/create-webhook.dto';
import { DeliveriesQueryDto } from './dto/deliveries-query.dto';
import { WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import { CreatedWebhookDto, WebhookDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a webhook; the signing secret is shown only in this answer',
    description:
      'Deliveries are POSTs of `{id, type, createdAt, data}` with the headers `Kiln-Signature`, ' +
      '`Kiln-Event`, `Kiln-Delivery` and `User-Agent: Kiln-Webhooks/1`. A 2xx answer is success; ' +
      'anything else (redirects included) is retried with exponential backoff. At most 20 per ' +
      'account (409 beyond).',
  })
  @ApiCreatedResponse({ type: CreatedWebhookDto })
  async create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateWebhookDto,
  ): Promise<CreatedWebhookDto> {
    const { webhook, secret } = await this.webhooks.create(caller.id, body);
    return { ...WebhookDto.from(webhook), secret };
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s webhooks, without secrets' })
  @ApiOkResponse({ type: [WebhookDto] })
  async list(@CurrentUser() caller: AuthenticatedUser): Promise<WebhookDto[]> {
    return (await this.webhooks.list(caller.id)).map(WebhookDto.from);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook and its deliveries (the owner’s; admins any)' })
  @ApiNoContentResponse()
  async remove(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    await this.webhooks.remove(caller, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'A webhook’s deliveries with every attempt, newest first' })
  @ApiPageResponse(WebhookDeliveryDto)
  async deliveries(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Query() query: DeliveriesQueryDto,
  ): Promise<Page<WebhookDeliveryDto>> {
    const page = await this.webhooks.listDeliveries(caller, id, query);
    return { ...page, data: page.data.map(WebhookDeliveryDto.from) };
  }
}
