import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res, UnauthorizedException, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCookieAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuthPaths, type AuthResponse, type ProvidersResponse, type VerificationRequiredResponse, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { EmailVerificationService } from '../accounts/email-verification.service';
import { AUTH_CONFIG, USER_STORE } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { CookieService } from '../cookies/cookie.service';
import { CurrentUser } from '../decorators/current-user.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { Public } from '../decorators/public.decorator';
import { AuthEventLogger } from '../events/auth-event-logger';
import type { AuthenticatedCaller } from '../guards/authenticated-caller';
import { JwtAuthGuard, UNAUTHENTICATED_MESSAGE } from '../guards/jwt-auth.guard';
import { PasswordAuthService } from '../passwords/password-auth.service';
import { SessionService } from '../sessions/session.service';
import { TokenService } from '../tokens/token.service';
import type { UserStore } from '../users/user-store';
import { AuthValidationPipe } from './auth-validation.pipe';
import { LoginDto, RegisterDto } from './dto/credentials.dto';
import { userAgent } from './user-agent';

const AUTH_ROOT = 'auth';
const sub = (path: string) => path.slice(AUTH_ROOT.length + 1);

@ApiTags('auth')
@ApiHeader({ name: XSRF_HEADER_NAME, description: 'Echo of the XSRF-TOKEN cookie; required on POST, PUT, PATCH and DELETE unless authenticating with a Bearer token', required: false })
@Controller(AUTH_ROOT)
@UsePipes(new AuthValidationPipe())
@UseGuards(JwtAuthGuard, ThrottlerGuard)
@SkipThrottle()
export class AuthController {
  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(USER_STORE) private readonly users: UserStore,
    private readonly passwords: PasswordAuthService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly cookies: CookieService,
    private readonly events: AuthEventLogger,
    private readonly emails: EmailVerificationService,
  ) {}

  @Public()
  @SkipThrottle({ default: false })
  @Throttle({ default: { limit: 10, ttl: 15 * 60 * 1000 } })
  @Post(sub(AuthPaths.register))
  @HttpCode(HttpStatus.CREATED)
  async register(@Body() body: RegisterDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse | VerificationRequiredResponse> {
    const user = await this.passwords.register(body.email, body.password, body.name);
    // No session until the mailed link proves the address.
    if (this.config.emailVerification === 'required') {
      res.setHeader('Cache-Control', 'no-store');
      return { user, verificationRequired: true };
    }
    return this.cookies.writeSession(res, await this.tokens.openSession(user, userAgent(req)));
  }

  @Public()
  @Post(sub(AuthPaths.login))
  @HttpCode(HttpStatus.OK)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const user = await this.passwords.verify(body.email, body.password, req.ip ?? 'unknown', this.cookies.readDeviceToken(req));
    // Only now, with the password right, may the answer say the address is unverified.
    if (this.config.emailVerification === 'required' && !user.emailVerified) await this.emails.refuseUnverifiedSignIn(user);
    const issued = await this.tokens.openSession(user, userAgent(req));
    this.events.log('login_ok', { userId: user.id, sessionId: issued.sessionId });
    return this.cookies.writeSession(res, issued);
  }

  @Public()
  @Post(sub(AuthPaths.refresh))
  @HttpCode(HttpStatus.OK)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const issued = await this.tokens.rotate(this.cookies.readRefreshToken(req), userAgent(req), (id) => this.users.findById(id));
    return this.cookies.writeSession(res, issued);
  }

  @Public()
  @Post(sub(AuthPaths.logout))
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const caller = this.tokens.verifyAccessToken(this.cookies.readAccessToken(req));
    await this.sessions.logout(this.cookies.readRefreshToken(req), caller);
    this.cookies.clearSession(res);
  }

  @ApiCookieAuth()
  @Post(sub(AuthPaths.logoutAll))
  @HttpCode(HttpStatus.NO_CONTENT)
  async logoutAll(@CurrentUser() caller: AuthenticatedCaller, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.logoutAll(caller);
    this.cookies.clearSession(res);
  }

  @ApiCookieAuth()
  @Get(sub(AuthPaths.me))
  @NoStore()
  async me(@CurrentUser() caller: AuthenticatedCaller): Promise<AuthResponse> {
    const user = await this.users.findById(caller.userId);
    // A user deleted since the token was issued: the token no longer names anyone.
    // 401 like every other dead token, so a client signs in again instead of stalling on a 404.
    if (!user) throw new UnauthorizedException(UNAUTHENTICATED_MESSAGE);
    return { user, accessTokenExpiresAt: caller.accessTokenExpiresAt.toISOString() };
  }

  @Public()
  @Get(sub(AuthPaths.providers))
  providers(): ProvidersResponse {
    return { password: true, google: this.config.google !== null };
  }
}
