import { ApiProperty } from '@nestjs/swagger';
import { IsEnum, IsString, Length, Matches } from 'class-validator';
import { ProviderKey } from '../entities/provider-key.entity';
import { ProviderKind } from '../provider-kind';

/** The path's `:provider`. */
export class ProviderParams {
  @IsEnum(ProviderKind, {
    message: `provider must be one of: ${Object.values(ProviderKind).join(', ')}`,
  })
  provider: ProviderKind;
}

export class StoreProviderKeyDto {
  @ApiProperty({
    minLength: 8,
    maxLength: 500,
    writeOnly: true,
    example: 'sk-proj-…',
    description:
      'The key the provider issued you, sent to it as `Authorization: Bearer <key>`. Stored ' +
      'encrypted and never shown again.',
  })
  @IsString()
  @Length(8, 500)
  // It travels in an HTTP header: anything else would only fail later, at every request.
  @Matches(/^[\x21-\x7e]*$/, { message: 'key must be printable ASCII without spaces' })
  key: string;
}

export class ProviderKeyDto {
  @ApiProperty({ enum: ProviderKind, enumName: 'ProviderKind' })
  provider: ProviderKind;

  @ApiProperty({ example: 'x9Qz', description: 'The last four characters of the key' })
  lastFour: string;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty({ description: 'When the key was last stored' })
  updatedAt: Date;

  static from({ provider, lastFour, createdAt, updatedAt }: ProviderKey): ProviderKeyDto {
    return { provider, lastFour, createdAt, updatedAt };
  }
}
