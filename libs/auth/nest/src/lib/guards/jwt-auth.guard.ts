import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { InjectAuthConfig, IS_PUBLIC_KEY } from '../auth.constants';
import { AUTH_MESSAGES } from '../auth-messages';
import type { AuthConfig } from '../config/auth-config';
import { TokenService } from '../sessions/token.service';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { presentedAccessToken } from '../tokens/presented-access-token';

/** Marks a request this guard already verified, so a second use of it costs nothing. */
const VERIFIED = Symbol('latchkey:verified');

/** Where the caller goes: `request.user`, as passport puts it, read by `@CurrentUser()`. */
type GuardedRequest = Request & { user?: AuthenticatedCaller; [VERIFIED]?: true };

/**
 * The global guard: every route needs a valid access token unless it is
 * marked `@Public()`. The auth controllers also apply it themselves, so they
 * stay protected when a host turns the global guard off.
 *
 * It checks the token itself (HS256 with the cached key, then the in-memory
 * revocation list) instead of through passport: passport's per-request
 * strategy set-up and callbacks cost more than the check. Google sign-in
 * keeps passport, where it earns its keep.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly accessCookie: string;
  /** Whether a route is public never changes after start-up: read each handler's metadata once. */
  private readonly publicRoutes = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    @InjectAuthConfig() config: AuthConfig,
  ) {
    this.accessCookie = config.cookieNames.access;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.isPublic(context)) return true;
    const req = context.switchToHttp().getRequest<GuardedRequest>();
    if (req[VERIFIED]) return true;
    const caller = this.tokens.verifyAccessToken(presentedAccessToken(req, this.accessCookie));
    if (!caller) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    req.user = caller;
    req[VERIFIED] = true;
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const controller = context.getClass();
    let handlers = this.publicRoutes.get(controller);
    if (!handlers) this.publicRoutes.set(controller, (handlers = new WeakMap()));
    let isPublic = handlers.get(handler);
    if (isPublic === undefined) {
      isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [handler, controller]) === true;
      handlers.set(handler, isPublic);
    }
    return isPublic;
  }
}
