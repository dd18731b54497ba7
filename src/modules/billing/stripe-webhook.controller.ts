import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { StripeEventReceiptDto } from './dto/stripe-event-receipt.dto';
import { StripeWebhooksService } from './stripe-webhooks.service';

@ApiTags('billing')
@Controller('billing/webhooks')
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhooksService) {}

  @Post('stripe')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stripe events: checkout completed, subscription updated or deleted',
    description:
      'The signature is verified over the raw body; each event id is applied once, and a ' +
      'repeat answers 200 with `duplicate: true` and changes nothing.',
  })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiOkResponse({ type: StripeEventReceiptDto })
  @ApiBadRequestResponse({ description: 'Missing or invalid signature; nothing is changed' })
  receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    // Named as in @ApiHeader, which Swagger then merges it into: one header in the document.
    @Headers('Stripe-Signature') signature?: string,
  ): Promise<StripeEventReceiptDto> {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
