import type { AuthResponse, User } from '@latchkey/auth-contract';

/**
 * What signing in or refreshing produced. Controllers return it; the cookie
 * interceptor writes its tokens as cookies and sends only `toResponse()`.
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

/** Returned by logout endpoints: the interceptor clears the auth cookies. */
export class ClearedSession {}
