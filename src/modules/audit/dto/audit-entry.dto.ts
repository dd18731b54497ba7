import { ApiProperty } from '@nestjs/swagger';
import { AuditEntry } from '../entities/audit-entry.entity';

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'null for the system',
  })
  actorId: string | null;

  @ApiProperty({ example: 'user.deactivated' })
  action: string;

  @ApiProperty({ example: 'user' })
  targetType: string;

  @ApiProperty({ type: String, nullable: true })
  targetId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty()
  createdAt: Date;

  static from(entry: AuditEntry): AuditEntryDto {
    const { id, actorId, action, targetType, targetId, details, ip, createdAt } = entry;
    return { id, actorId, action, targetType, targetId, details, ip, createdAt };
  }
}
