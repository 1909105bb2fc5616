import { ForbiddenException, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { API_PREFIX, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { CookieService } from '../cookies/cookie.service';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const API_ROOT = `/${API_PREFIX}/`;

/**
 * Double-submit CSRF protection with Angular's native names: every API
 * response hands out an `XSRF-TOKEN` cookie, and every unsafe API request
 * must echo it in `X-XSRF-TOKEN`. Bearer-authenticated requests carry no
 * ambient credentials and are exempt.
 */
@Injectable()
export class XsrfMiddleware implements NestMiddleware {
  constructor(private readonly cookies: CookieService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    if (!req.originalUrl.startsWith(API_ROOT)) return next();
    const token = this.cookies.ensureXsrfToken(req, res);
    if (!UNSAFE_METHODS.has(req.method) || isBearer(req)) return next();
    if (!CookieService.xsrfMatches(token, req.header(XSRF_HEADER_NAME))) {
      // Thrown, not passed to next(): Nest then shapes it like any other error.
      throw new ForbiddenException('Missing or invalid XSRF token');
    }
    next();
  }
}

function isBearer(req: Request): boolean {
  return /^Bearer\s+\S/i.test(req.headers.authorization ?? '');
}
