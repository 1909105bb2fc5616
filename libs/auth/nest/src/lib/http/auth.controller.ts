import { Body, Controller, Get, HttpCode, HttpStatus, Post, Req, Res, UnauthorizedException, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { SkipThrottle, Throttle, ThrottlerGuard } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { AuthPaths, type AuthResponse, type ProvidersResponse, type VerificationRequiredResponse } from '@latchkey/auth-contract';
import { EmailVerificationService } from '../accounts/email-verification.service';
import type { AuthConfig } from '../config/auth-config';
import { CookieService } from '../cookies/cookie.service';
import { CurrentUser } from '../decorators/current-user.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { Public } from '../decorators/public.decorator';
import { AuthEventLogger } from '../events/auth-event-logger';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import { PasswordAuthService } from '../passwords/password-auth.service';
import { SessionService } from '../sessions/session.service';
import { TokenService } from '../sessions/token.service';
import type { UserStore } from '../users/user-store';
import { AuthValidationPipe } from './auth-validation.pipe';
import { LoginDto, RegisterDto } from './dto/credentials.dto';
import { AuthResponseBody, ProvidersBody, VerificationRequiredBody } from './dto/responses';
import { ApiAccessToken, ApiErrors, ApiUnsafe, CLEARED_COOKIES, ERRORS, SESSION_COOKIES } from './openapi';
import { sessionClient } from './session-client';
import { ApiExceptionFilter } from './api-exception.filter';
import { AUTH_MESSAGES } from '../auth-messages';
import { InjectAuthConfig, InjectUserStore } from '../auth.constants';

const AUTH_ROOT = 'auth';
const sub = (path: string) => path.slice(AUTH_ROOT.length + 1);

@ApiTags('auth')
@ApiExtraModels(AuthResponseBody, VerificationRequiredBody)
// Also when the host's filter is not Latchkey's (globalExceptionFilter: false): 503 while the database is away.
@UseFilters(ApiExceptionFilter)
@Controller(AUTH_ROOT)
@UsePipes(new AuthValidationPipe())
@UseGuards(JwtAuthGuard)
// A host's own ThrottlerGuard leaves these routes alone; register has its limit below.
@SkipThrottle()
export class AuthController {
  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    @InjectUserStore() private readonly users: UserStore,
    private readonly passwords: PasswordAuthService,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly cookies: CookieService,
    private readonly events: AuthEventLogger,
    private readonly emails: EmailVerificationService,
  ) {}

  @ApiOperation({ summary: 'Create an account with a password, and sign in' })
  @ApiUnsafe({ readsAuthCookies: true })
  @ApiCreatedResponse({
    description:
      'The account exists and a verification mail is on its way. Signed in (`{user, accessTokenExpiresAt}` + cookies), unless `EMAIL_VERIFICATION=required`: then `{user, verificationRequired: true}` and no cookies',
    schema: { oneOf: [{ $ref: getSchemaPath(AuthResponseBody) }, { $ref: getSchemaPath(VerificationRequiredBody) }] },
    headers: SESSION_COOKIES,
  })
  @ApiErrors({
    400: 'A malformed email, a password under 8 or over 128 characters, a bad name, or an unknown field',
    409: 'The email is taken',
    429: 'Too many registrations from this client address',
    503: ERRORS.database,
  })
  @Public()
  // Only here: the guard would cost /auth/me and every refresh a pass for a limit they do not have.
  @UseGuards(ThrottlerGuard)
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
    return this.cookies.writeSession(res, await this.tokens.openSession(user, sessionClient(req)));
  }

  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiUnsafe({ readsAuthCookies: true })
  @ApiOkResponse({ description: 'Signed in: a new session and its cookies', type: AuthResponseBody, headers: SESSION_COOKIES })
  @ApiErrors({
    400: 'A malformed email, a field of the wrong type, or an unknown field',
    401: 'Unknown email or wrong password (one message for both)',
    403: 'Email verification is required and this address is unverified (said only once the password was right; a new verification mail is sent)',
    429: ERRORS.signInLimits,
    503: ERRORS.database,
  })
  @Public()
  @Post(sub(AuthPaths.login))
  @HttpCode(HttpStatus.OK)
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const user = await this.passwords.verify(body.email, body.password, req.ip ?? 'unknown', this.cookies.readDeviceToken(req));
    // Only now, with the password right, may the answer say the address is unverified.
    if (this.config.emailVerification === 'required' && !user.emailVerified) await this.emails.refuseUnverifiedSignIn(user);
    const issued = await this.tokens.openSession(user, sessionClient(req));
    this.events.log('login_ok', { userId: user.id, sessionId: issued.sessionId });
    return this.cookies.writeSession(res, issued);
  }

  @ApiOperation({ summary: 'Rotate the refresh token (cookie) for new access and refresh cookies' })
  @ApiUnsafe({ readsAuthCookies: true })
  @ApiOkResponse({ description: 'A new access and refresh token in the same session', type: AuthResponseBody, headers: SESSION_COOKIES })
  @ApiErrors({ 401: 'The refresh cookie is missing, malformed, expired, revoked, or was reused after the grace period', 503: ERRORS.database })
  @Public()
  @Post(sub(AuthPaths.refresh))
  @HttpCode(HttpStatus.OK)
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const issued = await this.tokens.rotate(this.cookies.readRefreshToken(req), sessionClient(req));
    return this.cookies.writeSession(res, issued);
  }

  @ApiOperation({ summary: 'Sign out: revoke this session and clear the cookies' })
  @ApiUnsafe({ readsAuthCookies: true })
  @ApiNoContentResponse({ description: 'Signed out, also when the cookies were missing or invalid', headers: CLEARED_COOKIES })
  @ApiErrors({ 503: ERRORS.database })
  @Public()
  @Post(sub(AuthPaths.logout))
  @HttpCode(HttpStatus.NO_CONTENT)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const caller = this.tokens.verifyAccessToken(this.cookies.readAccessToken(req));
    await this.sessions.logout(this.cookies.readRefreshToken(req), caller);
    this.cookies.clearSession(res);
  }

  @ApiOperation({ summary: 'Sign out everywhere: revoke every session of the user' })
  @ApiAccessToken()
  @ApiUnsafe()
  @ApiNoContentResponse({ description: 'Every session of the user is revoked; the cookies are cleared', headers: CLEARED_COOKIES })
  @ApiErrors({ 503: ERRORS.database })
  @Post(sub(AuthPaths.logoutAll))
  @HttpCode(HttpStatus.NO_CONTENT)
  async logoutAll(@CurrentUser() caller: AuthenticatedCaller, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.logoutAll(caller);
    this.cookies.clearSession(res);
  }

  @ApiOperation({ summary: 'The signed-in user' })
  @ApiAccessToken()
  @ApiOkResponse({ type: AuthResponseBody, description: 'The user and when the access token expires' })
  @ApiErrors({ 503: ERRORS.database })
  @Get(sub(AuthPaths.me))
  @NoStore()
  async me(@CurrentUser() caller: AuthenticatedCaller): Promise<AuthResponse> {
    const user = await this.users.findById(caller.userId);
    // A user deleted since the token was issued: the token no longer names anyone.
    // 401 like every other dead token, so a client signs in again instead of stalling on a 404.
    if (!user) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    return { user, accessTokenExpiresAt: caller.accessTokenExpiresAt.toISOString() };
  }

  @ApiOperation({ summary: 'The sign-in methods on offer' })
  @ApiOkResponse({ type: ProvidersBody, description: 'Password sign-in is always on; Google when configured' })
  @Public()
  @Get(sub(AuthPaths.providers))
  providers(): ProvidersResponse {
    return { password: true, google: this.config.google !== null };
  }
}
