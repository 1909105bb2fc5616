import { expect } from '@jest/globals';
import type { Answer } from './http';

/**
 * The contract's error body: exactly Nest's `{statusCode, message, error}`,
 * with the answer's own status and nothing internal (no stack, no SQL).
 */
export function expectApiError(res: Answer, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { statusCode: status } });
  expect(Object.keys(res.body).sort()).toEqual(['error', 'message', 'statusCode']);
  expect(typeof res.body.error).toBe('string');
  const message: unknown = res.body.message;
  expect(typeof message === 'string' || (Array.isArray(message) && message.every((m) => typeof m === 'string'))).toBe(true);
  expect(res.text).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+|QueryFailedError|SELECT |INSERT /);
}

/** The login limits' window: 15 minutes. */
const THROTTLE_WINDOW_SECONDS = 15 * 60;

/** A 429 in Nest's shape whose Retry-After (whole seconds) falls inside the window. */
export function expectThrottled(res: Answer): void {
  expectApiError(res, 429);
  expect(res.headers['retry-after']).toMatch(/^\d+$/);
  const seconds = Number(res.headers['retry-after']);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(THROTTLE_WINDOW_SECONDS);
}
