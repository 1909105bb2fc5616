import { MemoryAttemptCounter } from './attempt-counter';
import {
  LOGIN_WINDOW_MS,
  LoginAttemptLimiter,
  MAX_FAILURES_PER_DEVICE,
  MAX_FAILURES_PER_EMAIL,
  MAX_FAILURES_PER_IP,
  TooManyLoginAttemptsException,
} from './login-attempt-limiter';

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

  it('forgets the failures against an address (after a reset proved the mailbox), not those from the IP', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com', `10.0.2.${i}`));
    await expect(limiter.reserve(source('ada@example.com', '10.0.3.1'))).rejects.toBeInstanceOf(TooManyLoginAttemptsException);
    await limiter.forgetFailuresOf('ada@example.com');
    await expect(limiter.reserve(source('ada@example.com', '10.0.3.1'))).resolves.toBeDefined();

    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await limiter.reserve(source(`user${i}@example.com`, '10.9.9.9'));
    await limiter.forgetFailuresOf('user0@example.com');
    await expect(limiter.reserve(source('user0@example.com', '10.9.9.9'))).rejects.toBeInstanceOf(TooManyLoginAttemptsException);
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

  it('limits one address across many accounts; other addresses and device holders there are unaffected', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    expect(MAX_FAILURES_PER_IP).toBe(20);
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await limiter.reserve(source(`user${i}@example.com`, '10.0.0.9'));
    await expect(limiter.reserve(source('fresh@example.com', '10.0.0.9'))).rejects.toBeInstanceOf(TooManyLoginAttemptsException);
    await expect(limiter.reserve(source('fresh@example.com', '10.0.0.10'))).resolves.toBeDefined();
    // The owner's browser, with its device cookie, still signs in from the blocked address.
    await expect(limiter.reserve(source('user0@example.com', '10.0.0.9', 'device-1'))).resolves.toBeDefined();
  });

  it('an attempt refused by one limit gives back what it took from the other', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await limiter.reserve(source(`user${i}@example.com`, '10.0.0.9'));
    // Refused by the address limit: these must not use up ada's own allowance.
    for (let i = 0; i < 10; i++) await expect(limiter.reserve(source('ada@example.com', '10.0.0.9'))).rejects.toThrow();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com', `10.0.2.${i}`));
    await expect(limiter.reserve(source('ada@example.com', '10.0.2.99'))).rejects.toThrow();
  });

  it('failures with a device cookie count against that device only, never against the account or the address', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let i = 0; i < MAX_FAILURES_PER_DEVICE; i++) await limiter.reserve(source('ada@example.com', '10.0.0.1', 'device-1'));
    await expect(limiter.reserve(source('ada@example.com', '10.0.0.1', 'device-1'))).rejects.toThrow();
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com', '10.0.0.1'));
    await expect(limiter.reserve(source('ada@example.com', '10.0.0.1'))).rejects.toThrow();
  });

  it('reserves a device atomically too', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => limiter.reserve(source('ada@example.com', '10.0.0.1', 'device-1'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_FAILURES_PER_DEVICE);
  });

  it('concurrent successes that release their reservations never lock the account out', async () => {
    const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
    for (let round = 0; round < 10; round++) {
      const batch = await Promise.all(Array.from({ length: MAX_FAILURES_PER_EMAIL }, () => limiter.reserve(source('ada@example.com'))));
      await Promise.all(batch.map((attempt) => attempt.release()));
    }
    await expect(limiter.reserve(source('ada@example.com'))).resolves.toBeDefined();
  });

  describe('over time', () => {
    beforeEach(() => jest.useFakeTimers({ now: new Date('2030-01-01T10:00:00Z') }));
    afterEach(() => jest.useRealTimers());

    it('a locked account opens again when its 15-minute window ends', async () => {
      const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com'));
      jest.setSystemTime(Date.now() + LOGIN_WINDOW_MS - 1);
      await expect(limiter.reserve(source('ada@example.com'))).rejects.toThrow();
      jest.setSystemTime(Date.now() + 1);
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com'));
      await expect(limiter.reserve(source('ada@example.com'))).rejects.toThrow();
    });

    it('tells the longest wait when several limits are reached', async () => {
      const limiter = new LoginAttemptLimiter(new MemoryAttemptCounter());
      for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await limiter.reserve(source(`user${i}@example.com`, '10.0.0.9'));
      jest.setSystemTime(Date.now() + 10 * 60_000);
      for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) await limiter.reserve(source('ada@example.com', `10.0.3.${i}`));
      // Ada's window started 10 minutes after the address's: it ends last.
      const error = await limiter.reserve(source('ada@example.com', '10.0.0.9')).catch((e: TooManyLoginAttemptsException) => e);
      expect((error as TooManyLoginAttemptsException).retryAfterSeconds).toBe(15 * 60);
    });
  });
});
