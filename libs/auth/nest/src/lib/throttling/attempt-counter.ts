import type Redis from 'ioredis';

export interface AttemptCount {
  count: number;
  /** Milliseconds until the window of this key ends (0 when empty). */
  resetInMs: number;
}

/** Counters that expire a fixed window after their first hit. */
export interface AttemptCounter {
  get(key: string): Promise<AttemptCount>;
  increment(key: string, windowMs: number): Promise<AttemptCount>;
}

/** Counters of one process. */
export class MemoryAttemptCounter implements AttemptCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();

  async get(key: string): Promise<AttemptCount> {
    const entry = this.live(key);
    return entry ? { count: entry.count, resetInMs: entry.resetAt - Date.now() } : { count: 0, resetInMs: 0 };
  }

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    const now = Date.now();
    const entry = this.live(key) ?? { count: 0, resetAt: now + windowMs };
    entry.count += 1;
    this.entries.set(key, entry);
    if (this.entries.size > 10_000) this.sweep(now);
    return { count: entry.count, resetInMs: entry.resetAt - now };
  }

  private live(key: string) {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
  }
}

/** Counters in Redis, shared by every API instance. */
export class RedisAttemptCounter implements AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'latchkey:attempts:',
  ) {}

  async get(key: string): Promise<AttemptCount> {
    const [[, count], [, ttl]] = (await this.redis.multi().get(this.prefix + key).pttl(this.prefix + key).exec()) as [[null, string | null], [null, number]];
    return { count: Number(count ?? 0), resetInMs: Math.max(0, ttl) };
  }

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    const k = this.prefix + key;
    // The window starts at the first failure: NX leaves a running expiry alone.
    const [[, count], , [, ttl]] = (await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec()) as [[null, number], unknown, [null, number]];
    return { count, resetInMs: Math.max(0, ttl) };
  }
}
