import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import type { Request } from 'express';
import { Profile, Strategy, StrategyOptionsWithRequest } from 'passport-google-oauth20';
import type { User } from '@latchkey/auth-contract';
import type { GoogleConfig } from '../config/auth-config';
import { cleanName, type ExternalProfile } from '../users/user-store';
import { GoogleAccountService } from './google-account.service';
import { GoogleStateStore } from './google-state.store';

/** The shared name the mixin registers; the guard uses the instance's own name. */
const GOOGLE_STRATEGY = 'latchkey-google';
const SCOPES = ['openid', 'email', 'profile'];

/**
 * passport-google-oauth20 with state and PKCE (S256), its state kept in a
 * signed cookie instead of a server session. Built only when Google is
 * configured (see the module's factory).
 */
export class GoogleStrategy extends PassportStrategy(Strategy, GOOGLE_STRATEGY) {
  constructor(
    google: GoogleConfig,
    stateStore: GoogleStateStore,
    private readonly accounts: GoogleAccountService,
    strategyName: string,
  ) {
    super({
      clientID: google.clientId,
      clientSecret: google.clientSecret,
      callbackURL: google.callbackUrl,
      authorizationURL: google.authorizationUrl,
      tokenURL: google.tokenUrl,
      userProfileURL: google.userInfoUrl,
      scope: SCOPES,
      state: true,
      pkce: true,
      // The PKCE form of the store interface (verifier as 2nd argument), which the typings omit.
      store: stateStore as unknown as StrategyOptionsWithRequest['store'],
      passReqToCallback: true,
    });
    passport.use(strategyName, this);
  }

  validate(_req: Request, _accessToken: string, _refreshToken: string, profile: Profile): Promise<User> {
    return this.accounts.resolve(toExternalProfile(profile));
  }
}

function toExternalProfile(profile: Profile): ExternalProfile {
  const claims = (profile._json ?? {}) as { sub?: string; email?: string; email_verified?: boolean | string; name?: string; picture?: string };
  return {
    provider: 'google',
    subject: String(claims.sub ?? profile.id),
    email: claims.email ?? profile.emails?.[0]?.value ?? '',
    // Google sends a boolean; some proxies turn it into a string.
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    name: cleanName(claims.name ?? profile.displayName),
    picture: claims.picture ?? profile.photos?.[0]?.value ?? null,
  };
}
