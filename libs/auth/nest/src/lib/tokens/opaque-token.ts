import { createHash, randomBytes } from 'node:crypto';

/** 256 bits of randomness, base64url: 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/**
 * A bearer secret the database knows only by its SHA-256: refresh tokens and
 * the tokens in mailed links. A leaked table row cannot be presented.
 */
export function generateOpaqueToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The only form of an opaque token the database ever sees. */
export function hashOpaqueToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Malformed tokens are refused without a database round trip. */
export function isWellFormedOpaqueToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_FORMAT.test(token);
}
