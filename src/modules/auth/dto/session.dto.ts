import { ApiProperty } from '@nestjs/swagger';
import { AuthSession } from '../entities/auth-session.entity';

export class SessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: 'The User-Agent that signed in' })
  device: string | null;

  @ApiProperty({ type: String, nullable: true })
  ip: string | null;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  lastUsedAt: Date;

  @ApiProperty()
  expiresAt: Date;

  @ApiProperty({ description: 'Whether this is the session of the access token in use' })
  current: boolean;

  static from(session: AuthSession, currentSessionId?: string): SessionDto {
    const { id, ip, createdAt, lastUsedAt, expiresAt } = session;
    return {
      id,
      device: session.userAgent,
      ip,
      createdAt,
      lastUsedAt,
      expiresAt,
      current: id === currentSessionId,
    };
  }
}
