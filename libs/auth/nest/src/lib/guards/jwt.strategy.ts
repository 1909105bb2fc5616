import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AUTH_CONFIG } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { RevocationRegistry } from '../sessions/revocation-registry';
import { STRATEGY_NAMES, StrategyNames } from './strategy-names';
import type { AccessTokenClaims, AuthenticatedCaller } from './authenticated-caller';

/** The shared name the mixin registers; guards use the instance's own name (see StrategyNames). */
const JWT_STRATEGY = 'latchkey-jwt';

/**
 * Verifies the access token from `Authorization: Bearer` or, without that
 * header, from the access cookie. HS256 only: `alg: none` and every other
 * algorithm are refused. Revoked sessions are refused from memory.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    private readonly revocations: RevocationRegistry,
    @Inject(STRATEGY_NAMES) names: StrategyNames,
  ) {
    const cookieName = config.cookieNames.access;
    super({
      // A Bearer header wins, so a request that is CSRF-exempt never falls back to cookies.
      jwtFromRequest: ExtractJwt.fromExtractors([
        ExtractJwt.fromAuthHeaderAsBearerToken(),
        (req: Request) => (req.headers.authorization ? null : ((req.cookies as Record<string, string> | undefined)?.[cookieName] ?? null)),
      ]),
      secretOrKey: config.jwtSecret,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
    passport.use(names.jwt, this);
  }

  validate(claims: AccessTokenClaims): AuthenticatedCaller {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') {
      throw new UnauthorizedException();
    }
    if (this.revocations.isRevoked(claims.sid)) throw new UnauthorizedException();
    return { userId: claims.sub, sessionId: claims.sid, accessTokenExpiresAt: new Date(claims.exp * 1000) };
  }
}
