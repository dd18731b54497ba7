import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Actor } from '../../common/auth/authenticated-user';
import { Page, pageOffset, toPage } from '../../common/pagination/page-query.dto';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditEntry } from './entities/audit-entry.entity';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>) {}

  /** Writes the entry with the caller's transaction, so it exists exactly when the change does. */
  async record(manager: EntityManager, actor: Actor | null, record: AuditRecord): Promise<void> {
    await manager.save(
      manager.create(AuditEntry, {
        actorId: actor?.id ?? null,
        ip: actor?.ip ?? null,
        action: record.action,
        targetType: record.targetType,
        targetId: record.targetId ?? null,
        details: record.details ?? {},
      }),
    );
  }

  async list(query: AuditQueryDto): Promise<Page<AuditEntry>> {
    const [data, total] = await this.entries.findAndCount({
      // TypeORM refuses undefined in a where clause, so only the filters given are set.
      where: {
        ...(query.actorId ? { actorId: query.actorId } : {}),
        ...(query.action ? { action: query.action } : {}),
      },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: pageOffset(query),
      take: query.limit,
    });
    return toPage(data, total, query);
  }
}
