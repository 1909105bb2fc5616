import { Get, Controller, Redirect, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '@latchkey/auth-contract';
import { AuthPaths, DEFAULT_RETURN_URL } from '@latchkey/auth-contract';
import { AuthCookieInterceptor } from '../cookies/auth-cookie.interceptor';
import { Public } from '../decorators/public.decorator';
import { AuthEventLogger } from '../events/auth-event-logger';
import { userAgent } from '../http/user-agent';
import { IssuedSession } from '../tokens/issued-session';
import { TokenService } from '../tokens/token.service';
import { GOOGLE_RETURN_URL, GoogleAuthGuard, type RequestWithReturnUrl } from './google-auth.guard';
import { GoogleSignInErrorFilter } from './google-sign-in-error.filter';

@ApiTags('auth')
@Public()
@Controller(AuthPaths.google)
@UseGuards(GoogleAuthGuard)
@UseFilters(GoogleSignInErrorFilter)
@UseInterceptors(AuthCookieInterceptor)
export class GoogleAuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly events: AuthEventLogger,
  ) {}

  /** The guard answers with a 302 to Google (state + PKCE challenge); this never runs. */
  @Get()
  start(): void {
    return undefined;
  }

  /** Google sent the user back: open a session through the same cookie writer as password login. */
  @Get('callback')
  @Redirect(DEFAULT_RETURN_URL, 302)
  async callback(@Req() req: RequestWithReturnUrl): Promise<IssuedSession> {
    const user = req.user as User;
    const issued = await this.tokens.openSession(user, userAgent(req));
    this.events.log('login_ok', { userId: user.id, sessionId: issued.sessionId, reason: 'google' });
    return issued.redirectingTo(req[GOOGLE_RETURN_URL] ?? DEFAULT_RETURN_URL);
  }
}
