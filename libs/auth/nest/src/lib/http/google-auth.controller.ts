import { Get, Controller, Redirect, Req, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiFoundResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { User } from '@latchkey/auth-contract';
import { AuthPaths, DEFAULT_RETURN_URL } from '@latchkey/auth-contract';
import { AuthCookieInterceptor } from '../cookies/auth-cookie.interceptor';
import { Public } from '../decorators/public.decorator';
import { AuthEventLogger } from '../events/auth-event-logger';
import { ApiErrors, ERRORS, SESSION_COOKIES } from './openapi';
import { sessionClient } from './session-client';
import { IssuedSession } from '../tokens/issued-session';
import { TokenService } from '../sessions/token.service';
import { GOOGLE_RETURN_URL, GoogleAuthGuard, type RequestWithReturnUrl } from '../google/google-auth.guard';
import { GoogleSignInErrorFilter } from '../google/google-sign-in-error.filter';

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
  @ApiOperation({ summary: 'Start a Google sign-in (a browser navigation, not an XHR)' })
  @ApiQuery({ name: 'returnUrl', required: false, type: String, description: 'A same-origin path to land on after signing in; anything else lands on `/`' })
  @ApiFoundResponse({
    description: 'To Google’s consent page, with `state` and a PKCE `code_challenge` (a signed state cookie goes along); to `/login?error=<code>` if the sign-in cannot start',
    headers: {
      Location: { description: 'Google’s authorization URL, or `/login?error=<code>`', schema: { type: 'string', format: 'uri-reference' } },
      'Set-Cookie': { description: 'The signed, HttpOnly state cookie, scoped to the callback path', schema: { type: 'string' } },
    },
  })
  @ApiErrors({ 404: 'Google sign-in is not configured' })
  @Get()
  start(): void {
    return undefined;
  }

  /** Google sent the user back: open a session through the same cookie writer as password login. */
  @ApiOperation({ summary: 'Where Google sends the user back (a browser navigation)' })
  @ApiQuery({ name: 'code', required: false, type: String, description: 'The authorization code, from Google' })
  @ApiQuery({ name: 'state', required: false, type: String, description: 'The state sent to Google, checked against the state cookie' })
  @ApiQuery({ name: 'error', required: false, type: String, description: 'Google’s error, e.g. `access_denied`' })
  @ApiFoundResponse({
    description:
      'Signed in: to `/` (or the `returnUrl` given to the start) with the session cookies. Failed (bad `state`, provider error, unverified email, Google unreachable): to `/login?error=<code>`, no session cookies',
    headers: {
      Location: {
        description: 'The same-origin return path, or `/login?error=` one of `invalid_state`, `access_denied`, `provider_error`, `email_not_verified`, `provider_unavailable`',
        schema: { type: 'string', format: 'uri-reference' },
      },
      ...SESSION_COOKIES,
    },
  })
  @ApiErrors({ 404: 'Google sign-in is not configured', 503: ERRORS.database })
  @Get('callback')
  @Redirect(DEFAULT_RETURN_URL, 302)
  async callback(@Req() req: RequestWithReturnUrl): Promise<IssuedSession> {
    const user = req.user as User;
    const issued = await this.tokens.openSession(user, sessionClient(req));
    this.events.log('login_ok', { userId: user.id, sessionId: issued.sessionId, reason: 'google' });
    return issued.redirectingTo(req[GOOGLE_RETURN_URL] ?? DEFAULT_RETURN_URL);
  }
}
