import { createSecretKey, KeyObject } from 'node:crypto';

const keys = new Map<string, KeyObject>();

/**
 * The HS256 key as a KeyObject. Given a plain string, jsonwebtoken first
 * tries (and fails) to parse it as a PEM key on every sign and verify, which
 * was a quarter of an authenticated request's CPU.
 */
export function signingKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    keys.set(secret, key);
  }
  return key;
}

/** The libraries' typings say string | Buffer; jsonwebtoken takes a KeyObject too. */
export function signingKeyForTypings(secret: string): string {
  return signingKey(secret) as unknown as string;
}
