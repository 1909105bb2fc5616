/** What the guard puts on `request.user` after verifying an access token. */
export interface AuthenticatedCaller {
  readonly userId: string;
  readonly sessionId: string;
  readonly accessTokenExpiresAt: Date;
}

/** Claims of Latchkey's access JWT (HS256). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}
