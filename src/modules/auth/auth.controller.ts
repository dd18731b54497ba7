import { Body, Controller, Get, HttpCode, Patch, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthenticatedUser } from '../../common/auth/authenticated-user';
import { CurrentUser } from '../../common/auth/current-user.decorator';
import { Public } from '../../common/auth/public.decorator';
import { RateLimit } from '../../common/rate-limit/rate-limit.decorator';
import { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { clientInfo } from './client-info';
import { AuthResponseDto } from './dto/auth-response.dto';
import {
  ChangePasswordDto,
  LoginDto,
  PasswordResetConfirmDto,
  PasswordResetRequestDto,
  RefreshTokenDto,
  RegisterDto,
  UpdateMeDto,
} from './dto/credentials.dto';
import { PasswordResetService } from './password-reset.service';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly passwordReset: PasswordResetService,
    private readonly users: UsersService,
  ) {}

  @Public()
  @RateLimit('register')
  @Post('register')
  @ApiOperation({ summary: 'Create an account and sign in' })
  @ApiCreatedResponse({ type: AuthResponseDto })
  @ApiConflictResponse({ description: 'The email is taken (case-insensitive)' })
  async register(
    @Body() body: RegisterDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthResponseDto> {
    return AuthResponseDto.from(await this.auth.register(body, clientInfo(request)));
  }

  @Public()
  @RateLimit('login')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ description: 'Wrong email or password (the same answer for both)' })
  @ApiForbiddenResponse({ description: 'The account is deactivated' })
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<AuthResponseDto> {
    return AuthResponseDto.from(await this.auth.login(body, clientInfo(request)));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description: 'The token is spent. Presenting a spent token again revokes its whole session.',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ description: 'Unknown, spent, revoked or expired refresh token' })
  async refresh(
    @Body() body: RefreshTokenDto,
    @Req() request: FastifyRequest,
  ): Promise<AuthResponseDto> {
    return AuthResponseDto.from(await this.auth.refresh(body.refreshToken, clientInfo(request)));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the session of a refresh token' })
  @ApiNoContentResponse()
  async logout(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: RefreshTokenDto,
  ): Promise<void> {
    await this.sessions.endByToken(caller.id, body.refreshToken);
  }

  @Get('me')
  @ApiOperation({ summary: 'The caller' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() caller: AuthenticatedUser): UserDto {
    return UserDto.from(caller);
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change the caller’s profile' })
  @ApiOkResponse({ type: UserDto })
  async updateMe(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: UpdateMeDto,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.updateProfile(caller.id, body));
  }

  @Post('change-password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password; every other session is revoked' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'The current password is wrong' })
  async changePassword(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.auth.changePassword(caller, body.currentPassword, body.newPassword);
  }

  @Public()
  @RateLimit('password-reset')
  @Post('password-reset/request')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mail a reset token',
    description: 'Always 202, whether or not the email has an account.',
  })
  @ApiAcceptedResponse()
  requestPasswordReset(@Body() body: PasswordResetRequestDto): void {
    this.passwordReset.request(body.email);
  }

  @Public()
  @RateLimit('password-reset')
  @Post('password-reset/confirm')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with a reset token; every session is revoked' })
  @ApiNoContentResponse()
  async confirmPasswordReset(@Body() body: PasswordResetConfirmDto): Promise<void> {
    await this.passwordReset.confirm(body.token, body.newPassword);
  }
}
