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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else never reaches a query (PostgreSQL would refuse the cast). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The caller named by verified claims, or null when they are not Latchkey's shape. */
export function callerFromClaims(claims: Partial<AccessTokenClaims> | null | undefined): AuthenticatedCaller | null {
  if (!claims || !isUuid(claims.sub) || !isUuid(claims.sid) || typeof claims.exp !== 'number') return null;
  return { userId: claims.sub, sessionId: claims.sid, accessTokenExpiresAt: new Date(claims.exp * 1000) };
}
