import { ATTEMPT_COUNTER } from '../auth.constants';
import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { AttemptCounter } from './attempt-counter';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;
export const MAX_FAILURES_PER_DEVICE = 5;


/** 429 in Nest's shape; the filter adds nothing, the header tells when to retry. */
export class TooManyLoginAttemptsException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super({ statusCode: HttpStatus.TOO_MANY_REQUESTS, message: 'Too many failed sign-in attempts; try again later', error: 'Too Many Requests' }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/** Who a password sign-in attempt counts against. */
export interface LoginAttemptSource {
  /** Normalised. */
  email: string;
  ip: string;
  /** Set when the browser holds a valid device cookie for this email's account. */
  deviceId: string | null;
}

/** A reserved attempt: it stays counted as a failure unless it is released. */
export interface ReservedLoginAttempt {
  /** Gives the reservation back: the attempt succeeded, or ended without a verdict. */
  release(): Promise<void>;
}

/**
 * Failed sign-ins per email and per IP over 15 minutes; a browser with a
 * valid device cookie counts on its own instead, so failures from elsewhere
 * never lock its owner out. An attempt is reserved (counted) atomically
 * before its password is checked, so however many arrive at once, no more
 * than the limit are ever checked; a success gives its reservation back, so
 * a user who signs in often is never locked out by success.
 */
@Injectable()
export class LoginAttemptLimiter {
  constructor(@Inject(ATTEMPT_COUNTER) private readonly counter: AttemptCounter) {}

  /** Throws {@link TooManyLoginAttemptsException} when a limit is reached (and reserves nothing). */
  async reserve(source: LoginAttemptSource): Promise<ReservedLoginAttempt> {
    const limits: [key: string, max: number][] = source.deviceId
      ? [[deviceKey(source.deviceId), MAX_FAILURES_PER_DEVICE]]
      : [
          [emailKey(source.email), MAX_FAILURES_PER_EMAIL],
          [ipKey(source.ip), MAX_FAILURES_PER_IP],
        ];
    const keys = limits.map(([key]) => key);
    const counts = await Promise.all(keys.map((key) => this.counter.increment(key, LOGIN_WINDOW_MS)));
    const waitMs = Math.max(0, ...counts.map((count, i) => (count.count > limits[i][1] ? count.resetInMs : 0)));
    const release = () => Promise.all(keys.map((key) => this.counter.decrement(key))).then(() => undefined);
    if (counts.some((count, i) => count.count > limits[i][1])) {
      await release();
      throw new TooManyLoginAttemptsException(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    return { release };
  }

  /**
   * Forgets the failed sign-ins against `email` (a normalised address), after its owner
   * proved the mailbox with a reset link: the way out of a lockout works at once. The
   * per-IP and per-device counts stay.
   */
  async forgetFailuresOf(email: string): Promise<void> {
    await this.counter.clear(emailKey(email));
  }
}

/** Hashed so Redis keys do not hold email addresses. */
function emailKey(email: string): string {
  return `login:email:${createHash('sha256').update(email).digest('base64url')}`;
}

function ipKey(ip: string): string {
  return `login:ip:${ip}`;
}

function deviceKey(deviceId: string): string {
  return `login:device:${deviceId}`;
}
