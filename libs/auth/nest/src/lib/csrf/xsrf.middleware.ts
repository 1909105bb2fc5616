import { ForbiddenException, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { API_PREFIX, AuthPaths, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { CookieService } from '../cookies/cookie.service';
import { TokenService } from '../tokens/token.service';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The API's paths, lower-cased, without the query and trailing slashes:
 * Express routes case-insensitively and ignores a trailing slash, so the
 * check must see `/API/V1/auth/refresh/` as the route it reaches.
 */
const API_ROOT = `/${API_PREFIX}`.toLowerCase();

/** Routes that read the auth cookies themselves: a Bearer header never exempts them. */
const COOKIE_ROUTES: ReadonlySet<string> = new Set(
  [AuthPaths.refresh, AuthPaths.logout, AuthPaths.login, AuthPaths.register].map((path) => `${API_ROOT}/${path}`.toLowerCase()),
);

/**
 * Double-submit CSRF protection with Angular's native names: every API
 * response hands out an `XSRF-TOKEN` cookie, and every unsafe API request
 * must echo it in `X-XSRF-TOKEN`. A request that authenticates with a valid
 * Bearer access token carries no ambient credential and is exempt, except on
 * the routes that read cookies; an exempt request is served without its
 * cookies, so nothing behind it can act on them.
 */
@Injectable()
export class XsrfMiddleware implements NestMiddleware {
  constructor(
    private readonly cookies: CookieService,
    private readonly tokens: TokenService,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const path = routePath(req.originalUrl);
    if (path !== API_ROOT && !path.startsWith(`${API_ROOT}/`)) return next();
    const token = this.cookies.ensureXsrfToken(req, res);
    if (!UNSAFE_METHODS.has(req.method)) return next();
    if (!COOKIE_ROUTES.has(path) && this.hasValidBearer(req)) {
      req.cookies = {};
      return next();
    }
    if (!CookieService.xsrfMatches(token, req.header(XSRF_HEADER_NAME))) {
      // Thrown, not passed to next(): Nest then shapes it like any other error.
      throw new ForbiddenException('Missing or invalid XSRF token');
    }
    next();
  }

  private hasValidBearer(req: Request): boolean {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    return match !== null && this.tokens.verifyAccessToken(match[1]) !== null;
  }
}

/** The path Express routes on, as the check compares it: lower case, no query, no trailing slash. */
function routePath(originalUrl: string): string {
  const end = originalUrl.search(/[?#]/);
  const path = (end === -1 ? originalUrl : originalUrl.slice(0, end)).toLowerCase();
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
