import { ForbiddenException, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthPaths, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { AuthRoutes } from '../config/auth-routes';
import { CookieService } from '../cookies/cookie.service';
import { TokenService } from '../sessions/token.service';
import { bearerToken } from '../tokens/presented-access-token';
import { AUTH_MESSAGES } from '../auth-messages';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Routes that read the auth cookies themselves: a Bearer header never exempts them. */
const COOKIE_ROUTES = [AuthPaths.refresh, AuthPaths.logout, AuthPaths.login, AuthPaths.register];

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
    private readonly routes: AuthRoutes,
  ) {}

  /**
   * The API's paths, lower-cased, without the query and trailing slashes:
   * Express routes case-insensitively and ignores a trailing slash, so the
   * check must see `/API/V1/auth/refresh/` as the route it reaches.
   */
  private scope?: { root: string; cookieRoutes: ReadonlySet<string> };

  use(req: Request, res: Response, next: NextFunction): void {
    const { root, cookieRoutes } = (this.scope ??= this.computeScope());
    const path = routePath(req.originalUrl);
    if (root !== '' && path !== root && !path.startsWith(`${root}/`)) return next();
    const token = this.cookies.ensureXsrfToken(req, res);
    if (!UNSAFE_METHODS.has(req.method)) return next();
    if (!cookieRoutes.has(path) && this.hasValidBearer(req)) {
      req.cookies = {};
      return next();
    }
    if (!CookieService.xsrfMatches(token, req.header(XSRF_HEADER_NAME))) {
      // Thrown, not passed to next(): Nest then shapes it like any other error.
      throw new ForbiddenException(AUTH_MESSAGES.invalidXsrfToken);
    }
    next();
  }

  private computeScope(): { root: string; cookieRoutes: ReadonlySet<string> } {
    return { root: this.routes.apiRoot.toLowerCase(), cookieRoutes: new Set(COOKIE_ROUTES.map((route) => this.routes.path(route).toLowerCase())) };
  }

  private hasValidBearer(req: Request): boolean {
    const token = bearerToken(req.headers.authorization);
    return token !== undefined && this.tokens.verifyAccessToken(token) !== null;
  }
}

/** The path Express routes on, as the check compares it: lower case, no query, no trailing slash. */
function routePath(originalUrl: string): string {
  const end = originalUrl.search(/[?#]/);
  const path = (end === -1 ? originalUrl : originalUrl.slice(0, end)).toLowerCase();
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
