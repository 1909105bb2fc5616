import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { startTestApp, TestApp } from '../test-app';
import { Browser, expectApiError, expectThrottled, PASSWORD, uniqueEmail, uniqueIp } from '../harness';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** With REDIS_URL, API instances share the login-failure counters. */
describe('rate limits shared through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let redis: Redis;
  const keys: string[] = [];
  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    [a, b] = await Promise.all([startTestApp({ TRUST_PROXY: 'true', REDIS_URL }), startTestApp({ TRUST_PROXY: 'true', REDIS_URL })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    // Every email and address here is unique to this run; drop their counters anyway.
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  /** Remembers the counter keys a test touches, so they can be removed. */
  const track = (email: string | null, ip: string) => {
    if (email) keys.push(`latchkey:attempts:login:email:${createHash('sha256').update(email).digest('base64url')}`);
    keys.push(`latchkey:attempts:login:ip:${ip}`);
  };
  const loginFrom = (t: TestApp, email: string, ip: string) => {
    track(email, ip);
    return new Browser(t, { ip }).login({ email, password: PASSWORD });
  };

  it('counts failures for one email across both instances', async () => {
    const email = uniqueEmail('redis');
    for (let i = 0; i < 3; i++) expectApiError(await loginFrom(a, email, uniqueIp()), 401);
    for (let i = 0; i < 2; i++) expectApiError(await loginFrom(b, email, uniqueIp()), 401);
    expectThrottled(await loginFrom(a, email, uniqueIp()));
    expectThrottled(await loginFrom(b, email, uniqueIp()));
  });

  it('holds under concurrency: 150 guesses for one email at once over both instances, no more than 5 checked', async () => {
    const email = uniqueEmail('redis-burst');
    const responses = await Promise.all(Array.from({ length: 150 }, (_, i) => loginFrom(i % 2 ? a : b, email, uniqueIp())));
    expect(responses.filter((res) => ![401, 429].includes(res.status)).map((res) => res.status)).toEqual([]);
    expect(responses.filter((res) => res.status === 401).length).toBeLessThanOrEqual(5);
    expectThrottled(await loginFrom(a, email, uniqueIp()));
  });

  it('holds under concurrency: 60 failures from one address at once, no more than 20 checked', async () => {
    const ip = uniqueIp();
    const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => loginFrom(i % 2 ? a : b, uniqueEmail('redis-burst-ip'), ip)));
    expect(responses.filter((res) => res.status === 401).length).toBeLessThanOrEqual(20);
    expect(responses.filter((res) => res.status === 429).length).toBeGreaterThanOrEqual(40);
  });

  it('counts failures from one address across both instances', async () => {
    const ip = uniqueIp();
    for (let i = 0; i < 20; i++) expectApiError(await loginFrom(i % 2 ? a : b, uniqueEmail('redis-ip'), ip), 401);
    expectThrottled(await loginFrom(a, uniqueEmail('redis-ip'), ip));
    expectThrottled(await loginFrom(b, uniqueEmail('redis-ip'), ip));
  });
});
