import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../users/dto/user.dto';
import { AuthResult } from '../auth.service';

export class AuthResponseDto {
  @ApiProperty({ type: UserDto })
  user: UserDto;

  @ApiProperty({ description: 'JWT (HS256) to send as `Authorization: Bearer …`' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque; exchange it at /auth/refresh. Each one works once.' })
  refreshToken: string;

  @ApiProperty({
    type: 'integer',
    description: 'Seconds until the access token expires',
    example: 900,
  })
  expiresIn: number;

  static from(result: AuthResult): AuthResponseDto {
    return { ...result, user: UserDto.from(result.user) };
  }
}
