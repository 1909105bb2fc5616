import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { ClearedSession, IssuedSession } from '../tokens/issued-session';
import { CookieService } from './cookie.service';

/**
 * Turns what auth handlers return into cookies: an {@link IssuedSession}
 * becomes the access and refresh cookies plus `{user, accessTokenExpiresAt}`,
 * a {@link ClearedSession} clears them. Responses carry user data or
 * cookies, so none of them may be stored by a cache.
 */
@Injectable()
export class AuthCookieInterceptor implements NestInterceptor {
  constructor(private readonly cookies: CookieService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Cache-Control', 'no-store');
    return next.handle().pipe(
      map((result: unknown) => {
        if (result instanceof IssuedSession) {
          this.cookies.writeSession(res, result);
          // With @Redirect(), a returned `url` picks the target; no token ever goes in it.
          return result.redirectTo ? { url: result.redirectTo, statusCode: 302 } : result.toResponse();
        }
        if (result instanceof ClearedSession) {
          this.cookies.clearSession(res);
          return undefined;
        }
        return result;
      }),
    );
  }
}
