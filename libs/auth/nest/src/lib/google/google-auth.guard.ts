import { ExecutionContext, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import { InjectAuthConfig, STRATEGY_NAMES } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { GoogleSignInError } from './google-sign-in.error';
import { type StrategyNames } from '../guards/strategy-names';
import { AUTH_MESSAGES } from '../auth-messages';

/** Google must answer the code exchange and profile within this, or the sign-in fails cleanly. */
const PROVIDER_TIMEOUT_MS = 8000;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'EPIPE']);

/** Where the state store's verify put the validated return URL. */
export const GOOGLE_RETURN_URL = Symbol('latchkey:googleReturnUrl');
export type RequestWithReturnUrl = Request & { [GOOGLE_RETURN_URL]?: string };

/**
 * Runs passport's Google strategy: on `/auth/google` it redirects to Google
 * (carrying the requested return URL into the state), on the callback it
 * verifies state and PKCE and loads the user. Every failure becomes a
 * {@link GoogleSignInError} with a code for `/login?error=`.
 */
@Injectable()
export class GoogleAuthGuard extends AuthGuard() {
  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    @Inject(STRATEGY_NAMES) names: StrategyNames,
  ) {
    super({ session: false, defaultStrategy: names.google });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.config.google) throw new NotFoundException(AUTH_MESSAGES.googleNotConfigured);
    const req = context.switchToHttp().getRequest<Request>();
    if (!isCallback(req)) return super.canActivate(context) as Promise<boolean>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GoogleSignInError('provider_unavailable', new Error('Google did not answer in time'))), PROVIDER_TIMEOUT_MS);
    });
    try {
      return await Promise.race([super.canActivate(context) as Promise<boolean>, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  override getAuthenticateOptions(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest<Request>();
    return isCallback(req) ? { session: false } : { session: false, state: { returnUrl: req.query['returnUrl'] } };
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown, context: ExecutionContext): T {
    const req = context.switchToHttp().getRequest<RequestWithReturnUrl>();
    if (error) throw classify(error);
    if (!user) {
      if (req.query['error'] === 'access_denied') throw new GoogleSignInError('access_denied', info);
      if ((info as { message?: unknown } | undefined)?.message === 'invalid_state') throw new GoogleSignInError('invalid_state', info);
      throw new GoogleSignInError('provider_error', info);
    }
    req[GOOGLE_RETURN_URL] = (info as { state?: { returnUrl?: string } } | undefined)?.state?.returnUrl;
    return user;
  }
}

function isCallback(req: Request): boolean {
  return req.path.endsWith('/callback');
}

function classify(error: unknown): GoogleSignInError {
  if (error instanceof GoogleSignInError) return error;
  // passport-oauth2 wraps socket errors from the token/profile requests.
  const inner = (error as { oauthError?: { code?: unknown } }).oauthError;
  const code = inner?.code ?? (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return new GoogleSignInError('provider_unavailable', error);
  if (isDatabaseUnavailable(error)) return new GoogleSignInError('provider_unavailable', error);
  return new GoogleSignInError('provider_error', error);
}
