import { ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC_KEY, STRATEGY_NAMES } from '../auth.constants';
import { type StrategyNames } from './strategy-names';
import { AUTH_MESSAGES } from '../auth-messages';

/** Marks a request this guard already verified, so a second use of it costs nothing. */
const VERIFIED = Symbol('latchkey:verified');

/** One message for every missing, bad, expired or revoked token. */

/**
 * The global guard: every route needs a valid access token unless it is
 * marked `@Public()`. The auth controllers also apply it themselves, so they
 * stay protected when a host turns the global guard off.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard() {
  constructor(
    private readonly reflector: Reflector,
    @Inject(STRATEGY_NAMES) names: StrategyNames,
  ) {
    super({ session: false, defaultStrategy: names.jwt });
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<{ [VERIFIED]?: true }>();
    if (req[VERIFIED]) return true;
    await super.canActivate(context);
    req[VERIFIED] = true;
    return true;
  }

  override handleRequest<T>(error: unknown, caller: T): T {
    if (error || !caller) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    return caller;
  }
}
