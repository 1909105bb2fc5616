import type { AuthResponse, User } from '@latchkey/auth-contract';

/**
 * What signing in or refreshing produced. {@link CookieService.writeSession}
 * turns it into the auth cookies plus `toResponse()`; the tokens themselves
 * never go in a body.
 */
export class IssuedSession {
  constructor(
    readonly user: User,
    readonly sessionId: string,
    readonly accessToken: string,
    readonly accessTokenExpiresAt: Date,
    readonly refreshToken: string,
    /** When the refresh cookie must die: the session's idle or absolute limit. */
    readonly refreshExpiresAt: Date,
    /** The instant the tokens were issued; cookie Max-Ages count from it. */
    readonly issuedAt: Date,
    /** A sign-in (which also earns the browser a device cookie), as opposed to a refresh. */
    readonly isSignIn: boolean,
  ) {}

  /** Set for browser flows (Google's callback) that end in a redirect instead of JSON. */
  redirectTo: string | null = null;

  redirectingTo(url: string): this {
    this.redirectTo = url;
    return this;
  }

  toResponse(): AuthResponse {
    return { user: this.user, accessTokenExpiresAt: this.accessTokenExpiresAt.toISOString() };
  }
}
