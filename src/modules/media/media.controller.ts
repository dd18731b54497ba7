import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPartialContentResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { UuidParam } from '../../common/http/uuid-param';
import { ApiPageResponse } from '../../common/pagination/api-page-response';
import { Page } from '../../common/pagination/page-query.dto';
import { ProblemException } from '../../common/problem/problem.exception';
import { AppConfig } from '../../config/app-config';
import { ObjectStorage } from '../../infra/storage/object-storage';
import { ApiQuotaExceededResponse } from '../billing/api-quota-exceeded-response';
import { IDEMPOTENCY_KEY_HEADER } from '../idempotency/idempotency-key-header';
import { parseByteRange } from './byte-range';
import { ListMediaQuery } from './dto/list-media.query';
import { MediaDto } from './dto/media.dto';
import { UploadBodyDto } from './dto/upload-fields.dto';
import { MediaService } from './media.service';
import { receiveUpload } from './upload-receiver';

@ApiTags('media')
@Controller('media')
export class MediaController {
  constructor(
    private readonly media: MediaService,
    private readonly storage: ObjectStorage,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Upload a video, audio or image file',
    description:
      'The type is decided from the bytes; 415 for anything else, 413 over the size limit.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadBodyDto })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: MediaDto })
  @ApiQuotaExceededResponse()
  async upload(
    @CurrentUser() caller: AuthenticatedUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers(IDEMPOTENCY_KEY_HEADER.name) idempotencyKey?: string,
  ): Promise<MediaDto> {
    const upload = await receiveUpload(
      request,
      this.storage.tempPath(),
      this.config.media.maxBytes,
    );
    const answer = await this.media.upload(caller, upload, idempotencyKey);
    void reply.status(answer.status);
    return answer.body;
  }

  @Get()
  @ApiOperation({ summary: 'The caller’s media (operators and admins may pass ownerId)' })
  @ApiPageResponse(MediaDto)
  async list(
    @CurrentUser() caller: AuthenticatedUser,
    @Query() query: ListMediaQuery,
  ): Promise<Page<MediaDto>> {
    const page = await this.media.list(caller, query);
    return { ...page, data: page.data.map(MediaDto.from) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Metadata of one media item' })
  @ApiOkResponse({ type: MediaDto })
  async get(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<MediaDto> {
    return MediaDto.from(await this.media.get(caller, id));
  }

  @Get(':id/content')
  @ApiOperation({ summary: 'The bytes; a single `Range: bytes=…` is answered 206' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The whole file' })
  @ApiPartialContentResponse({ description: 'The requested range' })
  async content(
    @CurrentUser() caller: AuthenticatedUser,
    @UuidParam() id: string,
    @Headers('range') rangeHeader: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const media = await this.media.get(caller, id);
    const range = parseByteRange(rangeHeader, media.sizeBytes);
    if (range === 'unsatisfiable') {
      throw new ProblemException(416, 'The range is outside the file.', {}, 'about:blank', {
        'Content-Range': `bytes */${media.sizeBytes}`,
      });
    }
    void reply.header('accept-ranges', 'bytes').header('cache-control', 'private, max-age=0');
    if (range) {
      void reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${media.sizeBytes}`);
    }
    return new StreamableFile(this.media.read(media, range), {
      type: media.mimeType,
      length: range ? range.end - range.start + 1 : media.sizeBytes,
      disposition: contentDisposition(media.filename, { type: 'inline' }),
    });
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a media item; 409 while a queued or running job uses it' })
  @ApiNoContentResponse()
  async remove(@CurrentUser() caller: AuthenticatedUser, @UuidParam() id: string): Promise<void> {
    await this.media.remove(caller, id);
  }
}
