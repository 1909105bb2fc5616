import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DEVICE_COOKIE_MAX_AGE_SECONDS } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import { InjectAuthConfig } from '../auth.constants';

const DEVICE_ID = /^[A-Za-z0-9_-]{22}$/;
const SECONDS = /^\d{1,12}$/;
/** Clocks of several instances disagree a little. */
const CLOCK_SKEW_SECONDS = 60;

/**
 * The device cookie's value (OWASP's "device cookies" against slow brute
 * force): `<device id>.<issued at>.<MAC>`, where the MAC also covers the
 * account's normalised email. The email itself is not in the cookie: a token
 * proves only that this browser signed in to the account it is checked
 * against, within the last 90 days.
 */
@Injectable()
export class DeviceTokens {
  /** Derived, so a device token can never pass for an access token or the reverse. */
  private readonly key: Buffer;

  constructor(@InjectAuthConfig() config: AuthConfig) {
    this.key = createHmac('sha256', config.jwtSecret).update('latchkey:device-cookie:v1').digest();
  }

  /** A new device token for a successful sign-in to the account of `email` (normalised). */
  issue(email: string, now = new Date()): string {
    const deviceId = randomBytes(16).toString('base64url');
    const issuedAt = String(Math.floor(now.getTime() / 1000));
    return `${deviceId}.${issuedAt}.${this.mac(deviceId, issuedAt, email)}`;
  }

  /** The device id of a genuine, unexpired token issued for `email`; null for anything else. */
  deviceOf(token: unknown, email: string, now = new Date()): string | null {
    if (typeof token !== 'string') return null;
    const [deviceId, issuedAt, mac, ...rest] = token.split('.');
    if (rest.length || !DEVICE_ID.test(deviceId ?? '') || !SECONDS.test(issuedAt ?? '') || !mac) return null;
    const age = Math.floor(now.getTime() / 1000) - Number(issuedAt);
    if (age > DEVICE_COOKIE_MAX_AGE_SECONDS || age < -CLOCK_SKEW_SECONDS) return null;
    const expected = Buffer.from(this.mac(deviceId, issuedAt, email), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) ? deviceId : null;
  }

  private mac(deviceId: string, issuedAt: string, email: string): string {
    return createHmac('sha256', this.key).update(`${deviceId}.${issuedAt}.${email}`).digest('base64url');
  }
}
