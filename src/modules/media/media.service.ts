import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { assertCanRead, assertCanWrite } from '../../common/auth/ownership';
import { UserRole } from '../../common/auth/role';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { ValidationProblemException } from '../../common/problem/problem.exception';
import { toFieldErrors } from '../../common/validation/field-errors';
import { namedEntities } from '../../infra/database/hydrate-row';
import { insertNamed } from '../../infra/database/insert-select';
import { namedQuery } from '../../infra/database/pg-client';
import { KnownVideo, MediaToolkit, ProbeResult } from '../../infra/media-toolkit/media-toolkit';
import { ObjectStorage } from '../../infra/storage/object-storage';
import { UsageMeter } from '../billing/usage-meter';
import { fingerprintOf } from '../idempotency/fingerprint';
import { Answer, IdempotencyService } from '../idempotency/idempotency.service';
import { ProjectsService } from '../projects/projects.service';
import { MediaDto } from './dto/media.dto';
import { ListMediaQuery } from './dto/list-media.query';
import { UploadFieldsDto } from './dto/upload-fields.dto';
import { Media, MediaKind } from './entities/media.entity';
import { digestFile } from './file-digest';
import { imageDimensions } from './image-dimensions';
import { detectMediaType } from './media-type';
import { ReceivedUpload } from './upload-receiver';

type Caller = Pick<Actor, 'id' | 'role'>;

/** Answers whether a media item is an input of unfinished work, which forbids deleting it. */
export type MediaUseCheck = (mediaId: string) => Promise<boolean>;

export interface NewOutput {
  /** Chosen by the job, so that its row can name its outputs before they are written. */
  id: string;
  ownerId: string;
  projectId: string | null;
  jobId: string;
  filename: string;
  localPath: string;
}

const storageKeyOf = (id: string): string => `media/${id}`;

/** A named statement: every job looks up its inputs twice (when queued and when run). */
const FIND_BY_IDS = {
  name: 'media.find-by-ids',
  text: 'SELECT * FROM media WHERE id = ANY($1::uuid[])',
};

@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);
  private readonly useChecks: MediaUseCheck[] = [];

  constructor(
    @InjectRepository(Media) private readonly media: Repository<Media>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly storage: ObjectStorage,
    private readonly toolkit: MediaToolkit,
    private readonly projects: ProjectsService,
    private readonly idempotency: IdempotencyService,
    private readonly usage: UsageMeter,
  ) {
    projects.contributeStats(async (projectId) => {
      const [row] = await this.media
        .createQueryBuilder('m')
        .select('count(*)::int', 'count')
        .addSelect('coalesce(sum(m.size_bytes), 0)::bigint', 'bytes')
        .where('m.projectId = :projectId', { projectId })
        .getRawMany<{ count: number; bytes: string }>();
      return { media: { count: row.count, bytes: Number(row.bytes) } };
    });
  }

  onUseCheck(check: MediaUseCheck): void {
    this.useChecks.push(check);
  }

  /**
   * Stores an upload: the type comes from the bytes (415 unless video, audio or an image that
   * ffprobe can read), the project must take work (404/403/409), and a repeat with the same
   * Idempotency-Key answers the first upload again and keeps nothing of the second.
   */
  async upload(
    caller: Caller,
    upload: ReceivedUpload,
    idempotencyKey?: string,
  ): Promise<Answer<MediaDto>> {
    try {
      const fields = await this.validFields(upload.fields);
      const type = detectMediaType(upload.head);
      if (!type) {
        throw new UnsupportedMediaTypeException('Only video, audio and image files are accepted.');
      }
      if (fields.projectId) await this.projects.assertCanAddTo(caller, fields.projectId);
      const probe = await this.probe(upload.tempPath);
      return await this.idempotency.run(
        {
          ownerId: caller.id,
          scope: 'POST /media',
          key: idempotencyKey,
          fingerprint: fingerprintOf({ fields, sha256: upload.sha256 }),
        },
        201,
        async () => {
          const media = this.media.create({
            ownerId: caller.id,
            projectId: fields.projectId ?? null,
            jobId: null,
            kind: MediaKind.Upload,
            filename: upload.filename,
            mimeType: type.mimeType,
            sizeBytes: upload.sizeBytes,
            sha256: upload.sha256,
            durationSec: probe.durationSec ?? null,
            width: probe.width ?? null,
            height: probe.height ?? null,
          });
          // The upload and its storage_bytes count commit together; over quota (402), neither.
          const stored = await this.dataSource.transaction(async (manager) => {
            await this.usage.reserve(manager, caller.id, 'storage_bytes', upload.sizeBytes);
            return this.store(media, upload.tempPath, manager);
          });
          return MediaDto.from(stored);
        },
      );
    } finally {
      await rm(upload.tempPath, { force: true });
    }
  }

  async list(caller: Caller, query: ListMediaQuery): Promise<Page<Media>> {
    const ownerId = query.ownerId && caller.role !== UserRole.User ? query.ownerId : caller.id;
    const where = {
      ownerId,
      ...(query.projectId ? { projectId: query.projectId } : {}),
      ...(query.kind ? { kind: query.kind } : {}),
    };
    const [data, total] = await this.media.findAndCount({
      where,
      order: { createdAt: 'DESC', id: 'ASC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }

  async get(caller: Caller, id: string): Promise<Media> {
    const media = await this.find(id);
    assertCanRead(caller, media.ownerId);
    return media;
  }

  /** The items, in the order asked, for a job that reads them: each must exist and be the caller's (or an admin's). */
  async inputsFor(caller: Caller, ids: string[]): Promise<Media[]> {
    const items = await this.findInOrder(ids);
    for (const media of items) assertCanWrite(caller, media.ownerId);
    return items;
  }

  /** The items, in the order asked; 404 naming the first that is missing. */
  async findInOrder(ids: string[]): Promise<Media[]> {
    const found = ids.length ? await namedEntities(this.dataSource, Media, FIND_BY_IDS, [ids]) : [];
    return ids.map((id) => {
      const media = found.find((m) => m.id === id);
      if (!media) throw new NotFoundException(`No such media: ${id}.`);
      return media;
    });
  }

  /** What the upload's probe found, when it found a video: jobs then need not probe it again. */
  knownVideo(media: Media): KnownVideo | undefined {
    if (!media.mimeType.startsWith('video/') || media.width === null) return undefined;
    return { durationSec: media.durationSec ?? undefined };
  }

  localPath(media: Media): Promise<string> {
    return this.storage.localPath(media.storageKey);
  }

  read(media: Media, range?: { start: number; end: number }) {
    return this.storage.read(media.storageKey, range);
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const media = await this.find(id);
    assertCanWrite(caller, media.ownerId);
    for (const inUse of this.useChecks) {
      if (await inUse(id)) throw new ConflictException('A queued or running job uses this media.');
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(Media, { id });
      await this.usage.release(
        manager,
        media.ownerId,
        'storage_bytes',
        media.sizeBytes,
        `media:${id}:removed`,
      );
    });
    await this.storage.remove(media.storageKey);
  }

  /**
   * Stores a file a job produced as an output media item, inside the job's transaction. The
   * file is placed first and removed again if the row cannot be written.
   */
  async saveOutput(output: NewOutput, manager: EntityManager): Promise<Media> {
    const digest = await digestFile(output.localPath);
    const mimeType = detectMediaType(digest.head)?.mimeType ?? 'application/octet-stream';
    // A still image's size is in its header; only other outputs need ffprobe.
    const probe: Pick<ProbeResult, 'durationSec' | 'width' | 'height'> =
      imageDimensions(mimeType, digest.head) ?? (await this.probe(output.localPath));
    const media = manager.create(Media, {
      id: output.id,
      ownerId: output.ownerId,
      projectId: output.projectId,
      jobId: output.jobId,
      kind: MediaKind.Output,
      filename: output.filename,
      mimeType,
      sizeBytes: digest.sizeBytes,
      sha256: digest.sha256,
      durationSec: probe.durationSec ?? null,
      width: probe.width ?? null,
      height: probe.height ?? null,
    });
    const stored = await this.store(media, output.localPath, manager);
    // The work is done: its outputs are counted, never refused.
    await this.usage.record(
      manager,
      output.ownerId,
      'storage_bytes',
      stored.sizeBytes,
      `media:${stored.id}:stored`,
    );
    return stored;
  }

  /** Removes a job's earlier outputs (a re-run replaces them); their files go once committed. */
  async removeOutputsOf(jobId: string, manager: EntityManager): Promise<string[]> {
    // Plain SQL: TypeORM's returning() takes property names and silently drops other names.
    const removed = await namedQuery<{ owner_id: string; size_bytes: string; storage_key: string }>(
      manager,
      'media.remove-outputs',
      `DELETE FROM media WHERE job_id = $1 AND kind = 'output'
       RETURNING owner_id, size_bytes, storage_key`,
      [jobId],
    );
    if (removed.length) {
      const freed = removed.reduce((sum, m) => sum + Number(m.size_bytes), 0);
      await this.usage.release(manager, removed[0].owner_id, 'storage_bytes', freed);
    }
    return removed.map((m) => m.storage_key);
  }

  async removeFiles(storageKeys: string[]): Promise<void> {
    await Promise.all(storageKeys.map((key) => this.storage.remove(key)));
  }

  /** Removes the files of outputs whose rows were rolled back with the job's transaction. */
  async removeUnsavedOutputs(ids: string[]): Promise<void> {
    await this.removeFiles(ids.map(storageKeyOf));
  }

  /**
   * Places the file under a key made from its id (a new one unless given), then writes the row
   * in the caller's transaction; no row, no file.
   */
  private async store(media: Media, localPath: string, manager: EntityManager): Promise<Media> {
    media.id ??= randomUUID();
    media.storageKey = storageKeyOf(media.id);
    await this.storage.putFile(media.storageKey, localPath);
    try {
      return await insertNamed(manager, Media, media);
    } catch (error) {
      await this.storage.remove(media.storageKey);
      throw error;
    }
  }

  private async validFields(raw: Record<string, string>): Promise<UploadFieldsDto> {
    const fields = plainToInstance(UploadFieldsDto, raw);
    const errors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) throw new ValidationProblemException(toFieldErrors(errors));
    return fields;
  }

  private async probe(path: string): Promise<ProbeResult> {
    try {
      return await this.toolkit.probe(path);
    } catch (error) {
      this.logger.warn(`ffprobe could not read a file: ${(error as Error).message}`);
      throw new UnsupportedMediaTypeException('The file is not a readable video, audio or image.');
    }
  }

  private async find(id: string): Promise<Media> {
    const media = await this.media.findOneBy({ id });
    if (!media) throw new NotFoundException('No such media.');
    return media;
  }
}
