import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { AuthResponse, DEVICE_COOKIE_MAX_AGE_SECONDS, XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import { AuthRoutes } from '../config/auth-routes';
import { DeviceTokens } from '../throttling/device-tokens';
import type { IssuedSession } from '../tokens/issued-session';
import { InjectAuthConfig } from '../auth.constants';

/**
 * The one place that writes and clears Latchkey's cookies. Every name,
 * Max-Age and Secure flag comes from {@link AuthConfig}; the paths of the
 * refresh and device cookies follow the host's API prefix ({@link AuthRoutes}).
 */
@Injectable()
export class CookieService {
  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly devices: DeviceTokens,
    private readonly routes: AuthRoutes,
  ) {}

  readAccessToken(req: Request): string | undefined {
    return readCookie(req, this.config.cookieNames.access);
  }

  readRefreshToken(req: Request): string | undefined {
    return readCookie(req, this.config.cookieNames.refresh);
  }

  readDeviceToken(req: Request): string | undefined {
    return readCookie(req, this.config.cookieNames.device);
  }

  /**
   * Sets the session's access and refresh cookies on `res` (and, for a
   * sign-in, a new device cookie) and returns the JSON body that goes with
   * them. A response that sets them must never be stored by a cache.
   */
  writeSession(res: Response, issued: IssuedSession): AuthResponse {
    res.setHeader('Cache-Control', 'no-store');
    const now = issued.issuedAt.getTime();
    const refreshMaxAgeMs = Math.max(0, issued.refreshExpiresAt.getTime() - now);
    res.cookie(this.config.cookieNames.access, issued.accessToken, {
      ...this.accessAttributes(),
      maxAge: this.config.accessTokenTtlSeconds * 1000,
    });
    res.cookie(this.config.cookieNames.refresh, issued.refreshToken, {
      ...this.refreshAttributes(),
      // Whole seconds, so the cookie never outlives the session row.
      maxAge: Math.floor(refreshMaxAgeMs / 1000) * 1000,
    });
    if (issued.isSignIn) {
      res.cookie(this.config.cookieNames.device, this.devices.issue(issued.user.email, issued.issuedAt), {
        httpOnly: true,
        path: this.routes.authCookiePath,
        sameSite: 'strict',
        secure: this.config.isProduction,
        maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS * 1000,
      });
    }
    return issued.toResponse();
  }

  /** Expires both auth cookies (`Max-Age=0`, same paths); the device cookie stays, it outlives sessions. */
  clearSession(res: Response): void {
    res.setHeader('Cache-Control', 'no-store');
    res.cookie(this.config.cookieNames.access, '', { ...this.accessAttributes(), maxAge: 0 });
    res.cookie(this.config.cookieNames.refresh, '', { ...this.refreshAttributes(), maxAge: 0 });
  }

  /** Gives the browser an XSRF token when it has none; returns the request's token. */
  ensureXsrfToken(req: Request, res: Response): string | undefined {
    const existing = readCookie(req, XSRF_COOKIE_NAME);
    if (existing) return existing;
    // A shared cache must never hand one browser's token to another.
    res.setHeader('Cache-Control', 'no-store');
    res.cookie(XSRF_COOKIE_NAME, randomBytes(32).toString('base64url'), {
      // Angular's HttpClient must read it, so it is not HttpOnly.
      httpOnly: false,
      path: '/',
      sameSite: 'lax',
      secure: this.config.isProduction,
    });
    return undefined;
  }

  /** Double-submit check in constant time. */
  static xsrfMatches(cookie: string | undefined, header: string | undefined): boolean {
    if (!cookie || !header) return false;
    const a = Buffer.from(cookie);
    const b = Buffer.from(header);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private accessAttributes(): CookieOptions {
    return { httpOnly: true, path: '/', sameSite: 'lax', secure: this.config.isProduction };
  }

  private refreshAttributes(): CookieOptions {
    return { httpOnly: true, path: this.routes.authCookiePath, sameSite: 'strict', secure: this.config.isProduction };
  }
}

function readCookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
