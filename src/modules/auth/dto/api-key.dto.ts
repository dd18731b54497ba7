import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsDate,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  MinDate,
} from 'class-validator';
import { ApiKeyScope } from '../api-key-scope';
import { ApiKey } from '../entities/api-key.entity';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI uploader', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    enum: ApiKeyScope,
    enumName: 'ApiKeyScope',
    isArray: true,
    description: '`read`: GET and HEAD; `write`: the other methods. Both when omitted.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(ApiKeyScope, { each: true })
  scopes?: ApiKeyScope[];

  @ApiPropertyOptional({ description: 'When the key stops working; never when omitted' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(() => new Date(), { message: 'expiresAt must be in the future' })
  expiresAt?: Date;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'kiln_Xy3kP9q', description: 'The first characters, for recognising it' })
  prefix: string;

  @ApiProperty({ enum: ApiKeyScope, enumName: 'ApiKeyScope', isArray: true })
  scopes: ApiKeyScope[];

  @ApiProperty({ type: Date, nullable: true })
  expiresAt: Date | null;

  @ApiProperty({ type: Date, nullable: true })
  lastUsedAt: Date | null;

  @ApiProperty()
  createdAt: Date;

  static from(apiKey: ApiKey): ApiKeyDto {
    const { id, name, prefix, scopes, expiresAt, lastUsedAt, createdAt } = apiKey;
    return { id, name, prefix, scopes, expiresAt, lastUsedAt, createdAt };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself: shown only in this answer, stored hashed' })
  key: string;
}
