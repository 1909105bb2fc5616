import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { AuthPaths } from '@latchkey/auth-contract';
import { AccountService } from '../accounts/account.service';
import { PasswordResetService } from '../accounts/password-reset.service';
import { CookieService } from '../cookies/cookie.service';
import { CurrentUser } from '../decorators/current-user.decorator';
import { Public } from '../decorators/public.decorator';
import type { AuthenticatedCaller } from '../guards/authenticated-caller';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { AuthValidationPipe } from './auth-validation.pipe';
import { ChangePasswordDto, ForgotPasswordDto, ResetPasswordDto } from './dto/account.dto';

/** Forgetting, resetting and changing a password (CONTRACT.md endpoint rows). */
@ApiTags('auth')
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
  @Public()
  @Post(AuthPaths.passwordForgot)
  @HttpCode(HttpStatus.ACCEPTED)
  async forgot(@Body() body: ForgotPasswordDto, @Req() req: Request): Promise<void> {
    await this.resets.forgot(body.email, req.ip ?? 'unknown');
  }

  @Public()
  @Post(AuthPaths.passwordReset)
  @HttpCode(HttpStatus.NO_CONTENT)
  async reset(@Body() body: ResetPasswordDto): Promise<void> {
    await this.resets.reset(body.token, body.password);
  }

  @ApiCookieAuth()
  @Post(AuthPaths.passwordChange)
  @HttpCode(HttpStatus.NO_CONTENT)
  async change(@CurrentUser() caller: AuthenticatedCaller, @Body() body: ChangePasswordDto, @Req() req: Request): Promise<void> {
    await this.accounts.changePassword(caller, body.currentPassword, body.newPassword, { ip: req.ip ?? 'unknown', deviceToken: this.cookies.readDeviceToken(req) });
  }
}
