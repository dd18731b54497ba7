import { ApiProperty } from '@nestjs/swagger';
import { UserRole, UserStatus } from '../../../common/auth/role';

type UserFields = Pick<UserDto, keyof UserDto>;

/** The public shape of a user; the password hash never leaves the server. */
export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name: string | null;

  @ApiProperty({ enum: UserRole, enumName: 'UserRole' })
  role: UserRole;

  @ApiProperty({ enum: UserStatus, enumName: 'UserStatus' })
  status: UserStatus;

  @ApiProperty()
  createdAt: Date;

  @ApiProperty()
  updatedAt: Date;

  static from(user: UserFields): UserDto {
    const { id, email, name, role, status, createdAt, updatedAt } = user;
    return { id, email, name, role, status, createdAt, updatedAt };
  }
}
