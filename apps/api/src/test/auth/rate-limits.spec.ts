import type { Response } from 'supertest';
import { startTestApp, TestApp } from '../test-app';
import { AuthClient, PASSWORD, signUp, uniqueEmail, uniqueIp } from './auth-client';
import { countRows } from './db';
import { expectApiError, expectThrottled } from './expect-error';

/** A login from a browser at `ip` (a new one by default). */
function loginFrom(t: TestApp, credentials: { email: string; password: string }, ip = uniqueIp()): Promise<Response> {
  return new AuthClient(t, { ip }).login(credentials);
}

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ TRUST_PROXY: 'true' })));
  afterAll(() => t?.close());

  it('after 5 failed logins for one email, from any addresses, the 6th attempt gets 429 + Retry-After, even with the right password', async () => {
    const { credentials } = await signUp(t);
    for (let i = 0; i < 5; i++) expectApiError(await loginFrom(t, { ...credentials, password: `wrong password ${i}` }), 401);
    const sessions = await countRows(t, 'sessions');
    const blocked = await loginFrom(t, credentials);
    expectThrottled(blocked);
    expect(blocked.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^access_token=/)]));
    expect(await countRows(t, 'sessions')).toBe(sessions);
    // Case and spacing do not make it another email.
    expectThrottled(await loginFrom(t, { ...credentials, email: credentials.email.toUpperCase() }));
    // Other accounts are not affected.
    const other = await signUp(t);
    expect((await loginFrom(t, other.credentials)).status).toBe(200);
  });

  it('four failures do not block, and successful logins never count', async () => {
    const { credentials } = await signUp(t);
    for (let i = 0; i < 4; i++) expectApiError(await loginFrom(t, { ...credentials, password: 'wrong password' }), 401);
    for (let i = 0; i < 8; i++) expect((await loginFrom(t, credentials)).status).toBe(200);
  });

  it('after 20 failed logins from one address across emails, the next gets 429 + Retry-After there, and only there', async () => {
    const ip = uniqueIp();
    const { credentials } = await signUp(t);
    for (let i = 0; i < 20; i++) expectApiError(await loginFrom(t, { email: uniqueEmail('ip'), password: PASSWORD }, ip), 401);
    expectThrottled(await loginFrom(t, { email: uniqueEmail('ip'), password: PASSWORD }, ip));
    expectThrottled(await loginFrom(t, credentials, ip));
    expect((await loginFrom(t, credentials)).status).toBe(200);
  });

  it('register is rate-limited per address, in Nest’s shape', async () => {
    const client = new AuthClient(t);
    let res: Response | undefined;
    for (let i = 0; i < 50; i++) {
      res = await client.register({ email: uniqueEmail('flood'), password: PASSWORD });
      if (res.status !== 201) break;
    }
    expect(res).toBeDefined();
    expectThrottled(res as Response);
    expect((await new AuthClient(t).register({ email: uniqueEmail(), password: PASSWORD })).status).toBe(201);
  });
});
