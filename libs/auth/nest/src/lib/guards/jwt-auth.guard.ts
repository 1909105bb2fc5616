import { ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC_KEY } from '../auth.constants';
import { STRATEGY_NAMES, StrategyNames } from './strategy-names';

/** One message for every missing, bad, expired or revoked token. */
export const UNAUTHENTICATED_MESSAGE = 'Authentication required';

/**
 * The global guard: every route needs a valid access token unless it is
 * marked `@Public()`.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard() {
  constructor(
    private readonly reflector: Reflector,
    @Inject(STRATEGY_NAMES) names: StrategyNames,
  ) {
    super({ session: false, defaultStrategy: names.jwt });
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, caller: T): T {
    if (error || !caller) throw new UnauthorizedException(UNAUTHENTICATED_MESSAGE);
    return caller;
  }
}
