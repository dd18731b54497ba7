import { Column, Entity, Index } from 'typeorm';
import { bigintAsNumber } from '../../../infra/database/bigint-as-number';
import { OwnedRecord } from '../../users/entities/owned-record';

export enum MediaKind {
  Upload = 'upload',
  Output = 'output',
}

@Entity('media')
@Index(['ownerId', 'createdAt'])
export class Media extends OwnedRecord {
  @Index()
  @Column({ type: 'uuid', nullable: true })
  projectId: string | null;

  /** The job that produced an output; null for uploads. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  jobId: string | null;

  @Column({ type: 'enum', enum: MediaKind, enumName: 'media_kind' })
  kind: MediaKind;

  /** The client's file name, for display and downloads only; never a path. */
  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ type: 'varchar', length: 100 })
  mimeType: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  sizeBytes: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'double precision', nullable: true })
  durationSec: number | null;

  @Column({ type: 'int', nullable: true })
  width: number | null;

  @Column({ type: 'int', nullable: true })
  height: number | null;

  @Column({ type: 'varchar', length: 200 })
  storageKey: string;
}
