import { Body, Controller, Delete, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentActor, CurrentUser } from '../../common/auth/current-user.decorator';
import { ApiDownloadResponse } from '../../common/http/api-download-response';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { ApiQuotaExceededResponse } from '../billing/api-quota-exceeded-response';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotency-key-header';
import { CreateJobDto } from './dto/create-job.dto';
import { JobStatsDto } from './dto/job-stats.dto';
import { JobDto } from './dto/job.dto';
import { ExportJobsQuery, ListJobsQuery } from './dto/list-jobs.query';
import { JobEventStream } from './job-event-stream';
import {
  AudioExtractParams,
  GenerateParams,
  MontageParams,
  ThumbnailParams,
  TranscodeParams,
} from './job-params';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiExtraModels(TranscodeParams, ThumbnailParams, MontageParams, AudioExtractParams, GenerateParams)
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly eventStream: JobEventStream,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Queue media work: transcode, thumbnail, montage, audio-extract, generate',
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiAcceptedResponse({ type: JobDto })
  @ApiQuotaExceededResponse()
  async create(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: CreateJobDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers(IDEMPOTENCY_KEY_HEADER.name) idempotencyKey?: string,
  ): Promise<JobDto> {
    const answer = await this.jobs.create(caller, body, idempotencyKey);
    void reply.status(answer.status);
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s jobs (operators and admins may pass ownerId)' })
  @ApiPageResponse(JobDto)
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ListJobsQuery,
  ): Promise<Page<JobDto>> {
    const page = await this.jobs.list(caller, query);
    return { ...page, data: page.data.map(JobDto.from) };
  }

  @Get('stats')
  @ApiOperation({
    summary: 'The caller’s jobs: counts by status and type, success rate, mean and p95 run time',
  })
  @ApiOkResponse({ type: JobStatsDto })
  stats(@CurrentUser() caller: AuthenticatedUser): Promise<JobStatsDto> {
    return this.jobs.stats(caller.id);
  }

  @Get('export')
  @ApiOperation({ summary: 'The caller’s jobs as a CSV or JSON download, streamed' })
  @ApiDownloadResponse(
    'A download: JSON with format=json, CSV with format=csv',
    { model: JobDto, isArray: true },
    ['text/csv'],
  )
  export(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ExportJobsQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = query.format === 'csv';
    void reply
      .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="kiln-jobs.${query.format}"`);
    return this.jobs.export(caller.id, query.format);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One job' })
  @ApiOkResponse({ type: JobDto })
  async get(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<JobDto> {
    return JobDto.from(await this.jobs.get(caller, id));
  }

  @Get(':id/events')
  @ApiOperation({
    summary: 'Server-sent events: `status` and `progress` until the job ends',
    description: 'The first event is the current status; the stream closes after a final status.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream' })
  async events(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.jobs.get(caller, id);
    await this.eventStream.stream(id, () => this.jobs.get(caller, id), reply);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel; a running job’s ffmpeg is stopped' })
  @ApiOkResponse({ type: JobDto })
  @ApiConflictResponse({ description: 'The job has already finished' })
  async cancel(@CurrentActor() caller: Actor, @UuidParam() id: string): Promise<JobDto> {
    return JobDto.from(await this.jobs.cancel(caller, id));
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a failed or cancelled job again' })
  @ApiAcceptedResponse({ type: JobDto })
  @ApiConflictResponse({ description: 'The job is not failed or cancelled' })
  async retry(@CurrentActor() caller: Actor, @UuidParam() id: string): Promise<JobDto> {
    return JobDto.from(await this.jobs.retry(caller, id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a finished job (its outputs stay in media)' })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'The job is queued or running' })
  async remove(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    await this.jobs.remove(caller, id);
  }
}
