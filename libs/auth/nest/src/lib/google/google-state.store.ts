import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request, Response } from 'express';
import { AuthPaths, safeReturnUrl } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import { AuthRoutes } from '../config/auth-routes';
import { InjectAuthConfig } from '../auth.constants';

const STATE_TTL_SECONDS = 600;
const AUDIENCE = 'latchkey:google-state';

interface StateClaims {
  /** The `state` value sent to Google. */
  h: string;
  /** PKCE code verifier. */
  v: string;
  /** Where to go after signing in (validated). */
  r: string;
}

type StoreCallback = (error: Error | null, handle?: string) => void;
type VerifyCallback = (error: Error | null, verifier: string | false, info?: { message: string; returnUrl?: string }) => void;

/**
 * passport-oauth2's state store without server sessions: the state handle,
 * PKCE verifier and return URL travel in a signed, HttpOnly, SameSite=Lax
 * cookie scoped to the callback path, cleared on use. A handle is accepted
 * once per instance even if the cookie were replayed.
 */
@Injectable()
export class GoogleStateStore {
  private readonly used = new Map<string, number>();
  private readonly cookieName: string;

  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly jwt: JwtService,
    private readonly routes: AuthRoutes,
  ) {
    this.cookieName = config.isProduction ? '__Secure-google_oauth_state' : 'google_oauth_state';
  }

  store(req: Request, verifier: string, state: unknown, _meta: unknown, callback: StoreCallback): void {
    const handle = randomBytes(24).toString('base64url');
    const returnUrl = safeReturnUrl((state as { returnUrl?: unknown } | undefined)?.returnUrl);
    const claims: StateClaims = { h: handle, v: verifier, r: returnUrl };
    const token = this.jwt.sign(claims, { expiresIn: STATE_TTL_SECONDS, audience: AUDIENCE });
    this.response(req).cookie(this.cookieName, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.isProduction,
      path: this.routes.path(AuthPaths.googleCallback),
      maxAge: STATE_TTL_SECONDS * 1000,
    });
    callback(null, handle);
  }

  verify(req: Request, provided: unknown, callback: VerifyCallback): void {
    const token = (req.cookies as Record<string, string> | undefined)?.[this.cookieName];
    this.response(req).cookie(this.cookieName, '', { httpOnly: true, sameSite: 'lax', secure: this.config.isProduction, path: this.routes.path(AuthPaths.googleCallback), maxAge: 0 });
    const claims = this.read(token);
    if (!claims || typeof provided !== 'string' || !sameString(claims.h, provided) || !this.markUsed(claims.h)) {
      return callback(null, false, { message: 'invalid_state' });
    }
    callback(null, claims.v, { message: 'ok', returnUrl: claims.r });
  }

  private read(token: string | undefined): StateClaims | null {
    if (!token) return null;
    try {
      return this.jwt.verify<StateClaims>(token, { audience: AUDIENCE, algorithms: ['HS256'] });
    } catch {
      return null;
    }
  }

  private markUsed(handle: string): boolean {
    const now = Date.now();
    for (const [h, expires] of this.used) if (expires < now) this.used.delete(h);
    if (this.used.has(handle)) return false;
    this.used.set(handle, now + STATE_TTL_SECONDS * 1000);
    return true;
  }

  private response(req: Request): Response {
    if (!req.res) throw new Error('the Google state store needs the response');
    return req.res;
  }
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
