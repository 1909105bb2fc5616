import type { Request } from 'express';
import { sessionClient } from './session-client';

function request(ip: string | undefined, userAgent?: string): Request {
  return { ip, header: (name: string) => (name === 'user-agent' ? userAgent : undefined) } as unknown as Request;
}

describe('sessionClient', () => {
  it('takes the address Express resolved (after TRUST_PROXY), IPv4 without the ::ffff: of a dual-stack socket', () => {
    expect(sessionClient(request('::ffff:203.0.113.7')).ipAddress).toBe('203.0.113.7');
    expect(sessionClient(request('203.0.113.7')).ipAddress).toBe('203.0.113.7');
    expect(sessionClient(request('2001:db8::1')).ipAddress).toBe('2001:db8::1');
  });

  it('records no address it cannot vouch for', () => {
    expect(sessionClient(request(undefined)).ipAddress).toBeNull();
    expect(sessionClient(request('not an address')).ipAddress).toBeNull();
  });

  it('keeps at most 512 characters of the User-Agent', () => {
    expect(sessionClient(request('127.0.0.1', 'x'.repeat(600))).userAgent).toHaveLength(512);
    expect(sessionClient(request('127.0.0.1')).userAgent).toBeNull();
  });
});
