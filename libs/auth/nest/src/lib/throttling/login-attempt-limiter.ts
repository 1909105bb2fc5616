import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AttemptCounter } from './attempt-counter';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

export const ATTEMPT_COUNTER = Symbol('ATTEMPT_COUNTER');

/** 429 in Nest's shape; the filter adds nothing, the header tells when to retry. */
export class TooManyLoginAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ statusCode: HttpStatus.TOO_MANY_REQUESTS, message: 'Too many failed sign-in attempts; try again later', error: 'Too Many Requests' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Counts failed sign-ins per email and per IP over 15 minutes. Only failures
 * count, so a user who signs in often is never locked out by success.
 */
@Injectable()
export class LoginAttemptLimiter {
  constructor(@Inject(ATTEMPT_COUNTER) private readonly counter: AttemptCounter) {}

  /** Throws {@link TooManyLoginAttemptsException} when either limit is reached. */
  async assertAllowed(email: string, ip: string): Promise<void> {
    const [byEmail, byIp] = await Promise.all([this.counter.get(emailKey(email)), this.counter.get(ipKey(ip))]);
    const blocked = [
      byEmail.count >= MAX_FAILURES_PER_EMAIL ? byEmail.resetInMs : 0,
      byIp.count >= MAX_FAILURES_PER_IP ? byIp.resetInMs : 0,
    ];
    const waitMs = Math.max(...blocked);
    if (waitMs > 0) throw new TooManyLoginAttemptsException(Math.ceil(waitMs / 1000));
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([this.counter.increment(emailKey(email), LOGIN_WINDOW_MS), this.counter.increment(ipKey(ip), LOGIN_WINDOW_MS)]);
  }
}

/** Hashed so Redis keys do not hold email addresses. */
function emailKey(email: string): string {
  return `login:email:${createHash('sha256').update(email).digest('base64url')}`;
}

function ipKey(ip: string): string {
  return `login:ip:${ip}`;
}

