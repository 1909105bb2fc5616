import { Body, Controller, Delete, HttpCode, HttpStatus, Patch, Post, Req, Res, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { type AuthResponse, AuthPaths, type UserResponse } from '@latchkey/auth-contract';
import { AccountService } from '../accounts/account.service';
import { EmailVerificationService } from '../accounts/email-verification.service';
import { CookieService } from '../cookies/cookie.service';
import { CurrentUser } from '../decorators/current-user.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { Public } from '../decorators/public.decorator';
import type { AuthenticatedCaller } from '../guards/authenticated-caller';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import type { PasswordAttemptSource } from '../passwords/password-auth.service';
import { AuthValidationPipe } from './auth-validation.pipe';
import { ChangeEmailDto, DeleteAccountDto, UpdateProfileDto, VerifyEmailDto } from './dto/account.dto';

/** The signed-in user's own account: profile, email address, deletion (CONTRACT.md endpoint rows). */
@ApiTags('auth')
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

  @ApiCookieAuth()
  @Patch(AuthPaths.me)
  @NoStore()
  async updateProfile(@CurrentUser() caller: AuthenticatedCaller, @Body() body: UpdateProfileDto): Promise<AuthResponse> {
    const user = await this.accounts.rename(caller, body.name);
    return { user, accessTokenExpiresAt: caller.accessTokenExpiresAt.toISOString() };
  }

  /** After re-authentication; the access tokens of every session get 401 within a second, everywhere. */
  @ApiCookieAuth()
  @Delete(AuthPaths.me)
  @HttpCode(HttpStatus.NO_CONTENT)
  async deleteAccount(@CurrentUser() caller: AuthenticatedCaller, @Body() body: DeleteAccountDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.accounts.delete(caller, body.password, this.attemptSource(req));
    this.cookies.clearSession(res);
  }

  @ApiCookieAuth()
  @Post(AuthPaths.emailVerification)
  @HttpCode(HttpStatus.ACCEPTED)
  async requestVerification(@CurrentUser() caller: AuthenticatedCaller): Promise<void> {
    await this.emails.request(caller);
  }

  @Public()
  @Post(AuthPaths.emailVerify)
  @HttpCode(HttpStatus.OK)
  @NoStore()
  async verify(@Body() body: VerifyEmailDto): Promise<UserResponse> {
    return { user: await this.emails.verify(body.token) };
  }

  /** After re-authentication; the address changes only when the link mailed to it is used. */
  @ApiCookieAuth()
  @Post(AuthPaths.emailChange)
  @HttpCode(HttpStatus.ACCEPTED)
  async changeEmail(@CurrentUser() caller: AuthenticatedCaller, @Body() body: ChangeEmailDto, @Req() req: Request): Promise<void> {
    await this.emails.requestChange(caller, body.newEmail, body.password, this.attemptSource(req));
  }

  private attemptSource(req: Request): PasswordAttemptSource {
    return { ip: req.ip ?? 'unknown', deviceToken: this.cookies.readDeviceToken(req) };
  }
}
