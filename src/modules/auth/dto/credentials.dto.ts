import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export const PASSWORD_RULES = { minLength: 8, maxLength: 128 };

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ ...PASSWORD_RULES, example: 'correct horse battery staple' })
  @IsString()
  @Length(PASSWORD_RULES.minLength, PASSWORD_RULES.maxLength)
  password: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MaxLength(PASSWORD_RULES.maxLength)
  password: string;
}

export class RefreshTokenDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  refreshToken: string;
}

export class UpdateMeDto {
  @ApiPropertyOptional({ type: String, maxLength: 200, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string | null;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_RULES.maxLength)
  currentPassword: string;

  @ApiProperty(PASSWORD_RULES)
  @IsString()
  @Length(PASSWORD_RULES.minLength, PASSWORD_RULES.maxLength)
  newPassword: string;
}

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(320)
  email: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty()
  @IsString()
  @Length(1, 200)
  token: string;

  @ApiProperty(PASSWORD_RULES)
  @IsString()
  @Length(PASSWORD_RULES.minLength, PASSWORD_RULES.maxLength)
  newPassword: string;
}
