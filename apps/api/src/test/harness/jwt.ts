import { createHmac } from 'node:crypto';

export interface JwtParts {
  header: Record<string, unknown>;
  /** Typed as Latchkey's claims; a forged token may lack them. */
  payload: Record<string, unknown> & { sub: string; sid: string; iat: number; exp: number };
}

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function decodeJwt(token: string): JwtParts {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()),
  };
}

/** A JWT signed with HMAC (`HS256` by default) under `secret`. */
export function signJwt(payload: object, secret: string, alg: 'HS256' | 'HS384' | 'HS512' = 'HS256'): string {
  const head = `${encode({ alg, typ: 'JWT' })}.${encode(payload)}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return `${head}.${createHmac(hash, secret).update(head).digest('base64url')}`;
}

/** An `alg: none` token: no signature at all. */
export function unsignedJwt(payload: object): string {
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.`;
}

/** `token` with a different payload and the original signature. */
export function withPayload(token: string, payload: object): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encode(payload)}.${signature}`;
}
