import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { InjectAuthConfig, STRATEGY_NAMES } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { RevocationRegistry } from '../sessions/revocation-registry';
import { signingKeyForTypings } from '../tokens/signing-key';
import { type StrategyNames } from './strategy-names';
import { AccessTokenClaims, AuthenticatedCaller, callerFromClaims } from '../tokens/authenticated-caller';

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
    @InjectAuthConfig() config: AuthConfig,
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
      secretOrKey: signingKeyForTypings(config.jwtSecret),
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
    passport.use(names.jwt, this);
  }

  validate(claims: AccessTokenClaims): AuthenticatedCaller {
    const caller = callerFromClaims(claims);
    if (!caller || this.revocations.isRevoked(caller.sessionId)) throw new UnauthorizedException();
    return caller;
  }
}
