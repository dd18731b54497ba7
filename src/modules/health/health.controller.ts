import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  DiskHealthIndicator,
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  MemoryHealthIndicator,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/public.decorator';
import { AppConfig } from '../../config/app-config';
import { ReadinessChecks } from '../../infra/lifecycle/readiness-checks';
import { LocalObjectStorage } from '../../infra/storage/local-object-storage';
import { LifecycleHealthIndicator } from './lifecycle.health';
import { LivenessDto } from './liveness.dto';
import { RedisHealthIndicator } from './redis.health';

const CHECK_TIMEOUT_MS = 1500;

@ApiTags('operations')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly disk: DiskHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly lifecycle: LifecycleHealthIndicator,
    private readonly storage: LocalObjectStorage,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers; checks nothing external' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: true })
  @ApiOperation({ summary: 'Readiness: database, Redis, queues, storage disk and heap' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down (Terminus shape)' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.lifecycle.check('lifecycle'),
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.redis.pingCheck('redis', CHECK_TIMEOUT_MS),
        () =>
          this.disk.checkStorage('storage', {
            path: this.storage.root,
            thresholdPercent: this.config.health.diskMaxUsedPercent / 100,
          }),
        () => this.memory.checkHeap('memory_heap', this.config.health.heapMaxBytes),
        ...this.readiness.all(),
      ]);
    } catch (error) {
      // Orchestrators read Terminus' own shape, so readiness answers it rather than problem+json.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
