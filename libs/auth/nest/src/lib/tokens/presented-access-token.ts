import type { Request } from 'express';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header or none. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  return BEARER.exec(authorization)?.[1];
}

/**
 * The access token a request presents: a Bearer header wins, and a request
 * with any `Authorization` header never falls back to the cookie, so a
 * request that is CSRF-exempt (Bearer) is never authenticated by its cookies.
 */
export function presentedAccessToken(req: Request, accessCookieName: string): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return bearerToken(authorization);
  const value = (req.cookies as Record<string, unknown> | undefined)?.[accessCookieName];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
