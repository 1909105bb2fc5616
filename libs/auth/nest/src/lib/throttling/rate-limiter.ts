import { ATTEMPT_COUNTER } from '../auth.constants';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AttemptCounter } from './attempt-counter';

const HOUR_MS = 60 * 60 * 1000;

/** A budget of `max` hits per `windowMs` for one subject (an address, an IP, a user). */
export interface RateLimit {
  /** Part of the counter's key: two limits never share a count. */
  readonly name: string;
  readonly max: number;
  readonly windowMs: number;
}

/** The account endpoints' budgets (CONTRACT.md endpoint rows). */
export const ACCOUNT_RATE_LIMITS = {
  /** `password/forgot`: past it, 429. */
  passwordResetPerIp: { name: 'reset:ip', max: 20, windowMs: HOUR_MS },
  /** `password/forgot`: past it, still 202 but no mail, so the answer says nothing about the address. */
  passwordResetPerEmail: { name: 'reset:email', max: 3, windowMs: HOUR_MS },
  /** Verification mails a user asks for (the endpoint, and sign-ins refused for an unverified address). */
  verificationMailPerUser: { name: 'verify:user', max: 5, windowMs: HOUR_MS },
} as const satisfies Record<string, RateLimit>;

/** 429 in Nest's shape; the exception filter turns `retryAfterSeconds` into `Retry-After`. */
export class TooManyRequestsException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super({ statusCode: HttpStatus.TOO_MANY_REQUESTS, message, error: 'Too Many Requests' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

export interface RateVerdict {
  readonly isAllowed: boolean;
  /** Whole seconds until the window ends; 0 when allowed. */
  readonly retryAfterSeconds: number;
}

/**
 * Fixed-window budgets on the login counters' {@link AttemptCounter} (in
 * process, or Redis with REDIS_URL, shared by every instance). Each hit
 * counts, allowed or not.
 */
@Injectable()
export class RateLimiter {
  constructor(@Inject(ATTEMPT_COUNTER) private readonly counter: AttemptCounter) {}

  async hit(limit: RateLimit, subject: string): Promise<RateVerdict> {
    // Hashed so Redis keys hold no addresses.
    const key = `rate:${limit.name}:${createHash('sha256').update(subject).digest('base64url')}`;
    const { count, resetInMs } = await this.counter.increment(key, limit.windowMs);
    if (count <= limit.max) return { isAllowed: true, retryAfterSeconds: 0 };
    return { isAllowed: false, retryAfterSeconds: Math.max(1, Math.ceil(resetInMs / 1000)) };
  }

  /** Throws {@link TooManyRequestsException} with `message` once the budget is spent. */
  async take(limit: RateLimit, subject: string, message: string): Promise<void> {
    const verdict = await this.hit(limit, subject);
    if (!verdict.isAllowed) throw new TooManyRequestsException(verdict.retryAfterSeconds, message);
  }
}
