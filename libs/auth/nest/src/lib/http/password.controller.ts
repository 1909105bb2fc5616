import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { AuthPaths } from '@latchkey/auth-contract';
import { AccountService } from '../accounts/account.service';
import { PasswordResetService } from '../accounts/password-reset.service';
import { CookieService } from '../cookies/cookie.service';
import { CurrentUser } from '../decorators/current-user.decorator';
import { Public } from '../decorators/public.decorator';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { AuthValidationPipe } from './auth-validation.pipe';
import { ChangePasswordDto, ForgotPasswordDto, ResetPasswordDto } from './dto/account.dto';
import { ApiAccessToken, ApiErrors, ApiUnsafe, ERRORS } from './openapi';
import { ApiExceptionFilter } from './api-exception.filter';

/** Forgetting, resetting and changing a password (CONTRACT.md endpoint rows). */
@ApiTags('auth')
// Also when the host's filter is not Latchkey's (globalExceptionFilter: false): 503 while the database is away.
@UseFilters(ApiExceptionFilter)
@Controller()
@UsePipes(new AuthValidationPipe())
@UseGuards(JwtAuthGuard, ThrottlerGuard)
// Their own budgets (see RateLimiter and the sign-in limits), as for AuthController.
@SkipThrottle()
export class PasswordController {
  constructor(
    private readonly resets: PasswordResetService,
    private readonly accounts: AccountService,
    private readonly cookies: CookieService,
  ) {}

  /** 202 whether or not the address has an account. */
  @ApiOperation({ summary: 'Ask for a password-reset link by mail' })
  @ApiUnsafe()
  @ApiAcceptedResponse({ description: 'Accepted whether or not an account has this email; when one does, a reset mail is sent (at most 3 an hour per email). No body' })
  @ApiErrors({ 400: 'A malformed email or an unknown field', 429: 'Over 20 requests from this client address in an hour', 503: ERRORS.database })
  @Public()
  @Post(AuthPaths.passwordForgot)
  @HttpCode(HttpStatus.ACCEPTED)
  async forgot(@Body() body: ForgotPasswordDto, @Req() req: Request): Promise<void> {
    await this.resets.forgot(body.email, req.ip ?? 'unknown');
  }

  @ApiOperation({ summary: 'Set a new password with the token of a reset link' })
  @ApiUnsafe()
  @ApiNoContentResponse({ description: 'The password is set, the email counts as verified, every session of the user is revoked, and a "password changed" mail is sent' })
  @ApiErrors({ 400: 'An unknown, expired or used token (one message for all), a password under 8 or over 128 characters, or an unknown field', 503: ERRORS.database })
  @Public()
  @Post(AuthPaths.passwordReset)
  @HttpCode(HttpStatus.NO_CONTENT)
  async reset(@Body() body: ResetPasswordDto): Promise<void> {
    await this.resets.reset(body.token, body.password);
  }

  @ApiOperation({ summary: 'Change the password, knowing the current one' })
  @ApiAccessToken()
  @ApiUnsafe()
  @ApiNoContentResponse({ description: 'Changed: every other session of the user is revoked (this one stays) and a "password changed" mail is sent' })
  @ApiErrors({
    400: 'A new password under 8 or over 128 characters, or an unknown field',
    403: 'The current password is wrong (counts as a sign-in failure), or the account has no password',
    429: ERRORS.signInLimits,
    503: ERRORS.database,
  })
  @Post(AuthPaths.passwordChange)
  @HttpCode(HttpStatus.NO_CONTENT)
  async change(@CurrentUser() caller: AuthenticatedCaller, @Body() body: ChangePasswordDto, @Req() req: Request): Promise<void> {
    await this.accounts.changePassword(caller, body.currentPassword, body.newPassword, { ip: req.ip ?? 'unknown', deviceToken: this.cookies.readDeviceToken(req) });
  }
}
