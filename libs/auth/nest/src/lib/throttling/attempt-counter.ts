import type Redis from 'ioredis';

export interface AttemptCount {
  count: number;
  /** Milliseconds until the window of this key ends (0 when empty). */
  resetInMs: number;
}

/**
 * Counters that expire a fixed window after their first hit. `increment` is
 * atomic and returns the new count, so a caller that reserves an attempt by
 * incrementing first and judging its own count after can never be overtaken
 * by a concurrent one.
 */
export interface AttemptCounter {
  increment(key: string, windowMs: number): Promise<AttemptCount>;
  /** Takes one back, never below zero, and never revives a key whose window ended. */
  decrement(key: string): Promise<void>;
  /** Forgets the key's count and window. */
  clear(key: string): Promise<void>;
}

/** Counters of one process (a single thread: every operation is atomic). */
export class MemoryAttemptCounter implements AttemptCounter {
  private readonly entries = new Map<string, { count: number; resetAt: number }>();

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    const now = Date.now();
    const entry = this.live(key, now) ?? { count: 0, resetAt: now + windowMs };
    entry.count += 1;
    this.entries.set(key, entry);
    if (this.entries.size > 10_000) this.sweep(now);
    return { count: entry.count, resetInMs: entry.resetAt - now };
  }

  async decrement(key: string): Promise<void> {
    const entry = this.live(key, Date.now());
    if (entry && entry.count > 0) entry.count -= 1;
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  private live(key: string, now: number) {
    const entry = this.entries.get(key);
    if (entry && entry.resetAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.entries) if (entry.resetAt <= now) this.entries.delete(key);
  }
}

/** DECR only a key that still exists and is above zero: a plain DECR after expiry would leave -1 with no expiry. */
const DECREMENT_IF_LIVE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/** Counters in Redis, shared by every API instance. */
export class RedisAttemptCounter implements AttemptCounter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'latchkey:attempts:',
  ) {}

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    const k = this.prefix + key;
    // The window starts at the first hit: NX leaves a running expiry alone.
    const [[, count], , [, ttl]] = (await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec()) as [[null, number], unknown, [null, number]];
    return { count, resetInMs: Math.max(0, ttl) };
  }

  async decrement(key: string): Promise<void> {
    await this.redis.eval(DECREMENT_IF_LIVE, 1, this.prefix + key);
  }

  async clear(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
