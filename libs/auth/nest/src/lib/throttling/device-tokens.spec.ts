import type { AuthConfig } from '../config/auth-config';
import { DeviceTokens } from './device-tokens';

const config = { jwtSecret: 'device-token-test-secret-0123456789abcdef' } as AuthConfig;
const DAY_MS = 86_400_000;

describe('DeviceTokens', () => {
  const devices = new DeviceTokens(config);
  const now = new Date('2026-12-01T10:00:00Z');

  it('recognises its own token for the account it was issued for, with a fresh device id each time', () => {
    const token = devices.issue('ada@example.com', now);
    const id = devices.deviceOf(token, 'ada@example.com', now);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(devices.deviceOf(devices.issue('ada@example.com', now), 'ada@example.com', now)).not.toBe(id);
    expect(token).not.toContain('ada');
  });

  it('is no token for another account', () => {
    expect(devices.deviceOf(devices.issue('ada@example.com', now), 'eve@example.com', now)).toBeNull();
  });

  it('ends 90 days after the sign-in that issued it', () => {
    const token = devices.issue('ada@example.com', now);
    expect(devices.deviceOf(token, 'ada@example.com', new Date(now.getTime() + 89 * DAY_MS))).not.toBeNull();
    expect(devices.deviceOf(token, 'ada@example.com', new Date(now.getTime() + 91 * DAY_MS))).toBeNull();
  });

  it('refuses tampered, foreign and malformed values', () => {
    const token = devices.issue('ada@example.com', now);
    const [id, issuedAt, mac] = token.split('.');
    const other = new DeviceTokens({ jwtSecret: 'another-secret-another-secret-another' } as AuthConfig);
    for (const value of [
      `${id}.${Number(issuedAt) + 1}.${mac}`,
      `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}.${issuedAt}.${mac}`,
      `${id}.${issuedAt}.${mac.slice(0, -2)}`,
      other.issue('ada@example.com', now),
      `${token}.x`,
      '',
      'garbage',
      undefined,
      42,
    ]) {
      expect(devices.deviceOf(value, 'ada@example.com', now)).toBeNull();
    }
  });
});
