import { Body, Controller, Delete, HttpCode, HttpStatus, Patch, Post, Req, Res, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { type AuthResponse, AuthPaths, type UserResponse } from '@latchkey/auth-contract';
import { AccountService } from '../accounts/account.service';
import { EmailVerificationService } from '../accounts/email-verification.service';
import { CookieService } from '../cookies/cookie.service';
import { CurrentUser } from '../decorators/current-user.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { Public } from '../decorators/public.decorator';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import type { PasswordAttemptSource } from '../passwords/password-auth.service';
import { AuthValidationPipe } from './auth-validation.pipe';
import { ChangeEmailDto, DeleteAccountDto, UpdateProfileDto, VerifyEmailDto } from './dto/account.dto';
import { AuthResponseBody, UserResponseBody } from './dto/responses';
import { ApiAccessToken, ApiErrors, ApiUnsafe, CLEARED_COOKIES, ERRORS } from './openapi';
import { ApiExceptionFilter } from './api-exception.filter';

/** The signed-in user's own account: profile, email address, deletion (CONTRACT.md endpoint rows). */
@ApiTags('auth')
// Also when the host's filter is not Latchkey's (globalExceptionFilter: false): 503 while the database is away.
@UseFilters(ApiExceptionFilter)
@Controller()
@UsePipes(new AuthValidationPipe())
@UseGuards(JwtAuthGuard, ThrottlerGuard)
// Their own budgets (see RateLimiter and the sign-in limits), as for AuthController.
@SkipThrottle()
export class AccountController {
  constructor(
    private readonly accounts: AccountService,
    private readonly emails: EmailVerificationService,
    private readonly cookies: CookieService,
  ) {}

  @ApiOperation({ summary: 'Rename the signed-in user' })
  @ApiAccessToken()
  @ApiUnsafe()
  @ApiOkResponse({ type: AuthResponseBody, description: 'The user as now stored' })
  @ApiErrors({ 400: 'A name over 100 characters or with control characters, a missing `name`, or an unknown field', 503: ERRORS.database })
  @Patch(AuthPaths.me)
  @NoStore()
  async updateProfile(@CurrentUser() caller: AuthenticatedCaller, @Body() body: UpdateProfileDto): Promise<AuthResponse> {
    const user = await this.accounts.rename(caller, body.name);
    return { user, accessTokenExpiresAt: caller.accessTokenExpiresAt.toISOString() };
  }

  /** After re-authentication; the access tokens of every session get 401 within a second, everywhere. */
  @ApiOperation({ summary: 'Delete the account (after re-authentication)' })
  @ApiAccessToken()
  @ApiUnsafe()
  @ApiNoContentResponse({ description: 'The user, their identities and sessions are deleted; their access tokens get 401 within a second', headers: CLEARED_COOKIES })
  @ApiErrors({
    400: 'A field of the wrong type or an unknown field',
    403: 'Re-authentication needed: the password is missing or wrong (wrong counts as a sign-in failure), or, for an account without one, the sign-in is older than 10 minutes',
    429: ERRORS.signInLimits,
    503: ERRORS.database,
  })
  @Delete(AuthPaths.me)
  @HttpCode(HttpStatus.NO_CONTENT)
  async deleteAccount(@CurrentUser() caller: AuthenticatedCaller, @Body() body: DeleteAccountDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.accounts.delete(caller, body.password, this.attemptSource(req));
    this.cookies.clearSession(res);
  }

  @ApiOperation({ summary: 'Mail a new verification link to the user’s address' })
  @ApiAccessToken()
  @ApiUnsafe()
  @ApiAcceptedResponse({ description: 'A verification mail is on its way, unless the address is already verified. No body' })
  @ApiErrors({ 429: 'Over 5 verification mails in an hour', 503: ERRORS.database })
  @Post(AuthPaths.emailVerification)
  @HttpCode(HttpStatus.ACCEPTED)
  async requestVerification(@CurrentUser() caller: AuthenticatedCaller): Promise<void> {
    await this.emails.request(caller);
  }

  @ApiOperation({ summary: 'Use the token of a verification or email-change link' })
  @ApiUnsafe()
  @ApiOkResponse({ type: UserResponseBody, description: 'The address is verified (or, for an email-change token, changed, and the old address told)' })
  @ApiErrors({ 400: 'An unknown, expired or used token (one message for all), or an unknown field', 409: 'The new address was taken meanwhile', 503: ERRORS.database })
  @Public()
  @Post(AuthPaths.emailVerify)
  @HttpCode(HttpStatus.OK)
  @NoStore()
  async verify(@Body() body: VerifyEmailDto): Promise<UserResponse> {
    return { user: await this.emails.verify(body.token) };
  }

  /** After re-authentication; the address changes only when the link mailed to it is used. */
  @ApiOperation({ summary: 'Change the email address (after re-authentication)' })
  @ApiAccessToken()
  @ApiUnsafe()
  @ApiAcceptedResponse({ description: 'A confirmation link goes to the new address; nothing changes until it is used. No body' })
  @ApiErrors({
    400: 'A malformed email, the current address again, or an unknown field',
    403: 'Re-authentication needed: the password is missing or wrong (wrong counts as a sign-in failure), or, for an account without one, the sign-in is older than 10 minutes',
    409: 'The address is taken',
    429: ERRORS.signInLimits,
    503: ERRORS.database,
  })
  @Post(AuthPaths.emailChange)
  @HttpCode(HttpStatus.ACCEPTED)
  async changeEmail(@CurrentUser() caller: AuthenticatedCaller, @Body() body: ChangeEmailDto, @Req() req: Request): Promise<void> {
    await this.emails.requestChange(caller, body.newEmail, body.password, this.attemptSource(req));
  }

  private attemptSource(req: Request): PasswordAttemptSource {
    return { ip: req.ip ?? 'unknown', deviceToken: this.cookies.readDeviceToken(req) };
  }
}
