import { createHash, randomBytes } from 'node:crypto';

/** 256 bits of randomness, base64url: 43 characters. */
const TOKEN_BYTES = 32;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export function generateRefreshToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The only form of a refresh token the database ever sees. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** Malformed tokens are refused without a database round trip. */
export function isWellFormedRefreshToken(token: unknown): token is string {
  return typeof token === 'string' && TOKEN_FORMAT.test(token);
}
