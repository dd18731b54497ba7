import { Controller, Get, Headers, Res, UnauthorizedException } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { contentType } from 'prom-client';
import { Public } from '../../common/auth/public.decorator';
import { AppConfig } from '../../config/app-config';
import { metricsTokenAccepted } from './metrics-token';
import { MetricsService } from './metrics.service';

@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Prometheus metrics; needs `Bearer <METRICS_TOKEN>` when that is set' })
  @ApiProduces('text/plain')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    if (!metricsTokenAccepted(this.config.metrics.token, authorization)) {
      throw new UnauthorizedException('A valid metrics token is required.');
    }
    void reply.header('content-type', contentType);
    return this.metrics.render();
  }
}
