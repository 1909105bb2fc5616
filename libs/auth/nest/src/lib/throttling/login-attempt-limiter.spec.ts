import { MemoryAttemptCounter } from './attempt-counter';
import { LoginAttemptLimiter, MAX_FAILURES_PER_EMAIL, TooManyLoginAttemptsException } from './login-attempt-limiter';

describe('LoginAttemptLimiter', () => {
  const source = (email: string, ip = '10.0.0.1', deviceId: string | null = null) => ({ email, ip, deviceId });

  it('reserves atomically: of many attempts at once, only the limit get through', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => limiter.reserve(source('ada@example.com', `10.0.1.${i}`))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_FAILURES_PER_EMAIL);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TooManyLoginAttemptsException);
  });

  it('a released reservation (a success) frees its place; a refused attempt takes none', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let i = 0; i < 100; i++) await (await limiter.reserve(source('ada@example.com'))).release();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com'));
    await expect(limiter.reserve(source('ada@example.com'))).rejects.toBeInstanceOf(TooManyLoginAttemptsException);
    // The refused attempts did not count against the address.
    for (let i = 0; i < 30; i++) await expect(limiter.reserve(source('ada@example.com'))).rejects.toThrow();
    await expect(limiter.reserve(source('eve@example.com'))).resolves.toBeDefined();
  });

  it('counts a device apart from its email and address', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com'));
    await expect(limiter.reserve(source('ada@example.com'))).rejects.toThrow();
    for (let i = 0; i < 5; i++) await limiter.reserve(source('ada@example.com', '10.0.0.1', 'device-1'));
    await expect(limiter.reserve(source('ada@example.com', '10.0.0.1', 'device-1'))).rejects.toThrow();
    await expect(limiter.reserve(source('ada@example.com', '10.0.0.1', 'device-2'))).resolves.toBeDefined();
  });

  it('tells when to retry: the rest of the window, in whole seconds', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com'));
    const error = await limiter.reserve(source('ada@example.com')).catch((e: TooManyLoginAttemptsException) => e);
    expect((error as TooManyLoginAttemptsException).retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect((error as TooManyLoginAttemptsException).retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
  });
});
