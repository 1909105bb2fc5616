import { HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { SERVER_MESSAGES, isUnreachable, retryAfterSeconds, serverErrorMessage } from './server-error';

const httpError = (status: number, error: unknown = null, headers: Record<string, string> = {}) =>
  new HttpErrorResponse({ status, error, headers: new HttpHeaders(headers) });

describe('serverErrorMessage', () => {
  it("uses the body's message for a 4xx, as a sentence", () => {
    const error = httpError(401, { statusCode: 401, message: 'Email or password is incorrect', error: 'Unauthorized' });
    expect(serverErrorMessage(error, 'fallback')).toBe('Email or password is incorrect.');
  });

  it('joins validation messages', () => {
    const error = httpError(400, { statusCode: 400, message: ['email must be an email address', 'password too short'] });
    expect(serverErrorMessage(error, 'fallback')).toBe('Email must be an email address. Password too short.');
  });

  it('falls back when the body has no message', () => {
    expect(serverErrorMessage(httpError(401, 'oops'), 'Email or password is incorrect.')).toBe(
      'Email or password is incorrect.',
    );
  });

  it('says how long to wait after too many attempts', () => {
    expect(serverErrorMessage(httpError(429, {}, { 'Retry-After': '900' }), 'x')).toBe(
      'Too many attempts. Please wait 15 minutes before trying again.',
    );
    expect(serverErrorMessage(httpError(429, {}, { 'Retry-After': '30' }), 'x')).toBe(
      'Too many attempts. Please wait 30 seconds before trying again.',
    );
    expect(serverErrorMessage(httpError(429), 'x')).toBe(
      'Too many attempts. Please wait a few minutes before trying again.',
    );
  });

  it('never shows a server fault or a network failure as the body says', () => {
    expect(serverErrorMessage(httpError(0), 'x')).toBe(SERVER_MESSAGES.unreachable);
    expect(serverErrorMessage(httpError(503, { message: 'db down' }), 'x')).toBe(SERVER_MESSAGES.serverFault);
    expect(serverErrorMessage(new Error('boom'), 'x')).toBe('x');
  });

  it('says the connection is gone when the service worker answers for an unreachable network (504, no body)', () => {
    expect(serverErrorMessage(httpError(504), 'x')).toBe(SERVER_MESSAGES.unreachable);
    expect(isUnreachable(httpError(504))).toBe(true);
    // A gateway of the API's own that timed out still answers in the API's shape: a fault on our side.
    expect(serverErrorMessage(httpError(504, { statusCode: 504, message: 'upstream', error: 'Gateway Timeout' }), 'x')).toBe(SERVER_MESSAGES.serverFault);
  });
});

describe('retryAfterSeconds', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2030-01-01T10:00:00Z');
    expect(retryAfterSeconds(httpError(429, null, { 'Retry-After': '120' }), now)).toBe(120);
    expect(retryAfterSeconds(httpError(429, null, { 'Retry-After': 'Tue, 01 Jan 2030 10:02:00 GMT' }), now)).toBe(120);
    expect(retryAfterSeconds(httpError(429, null, { 'Retry-After': 'soon' }), now)).toBeNull();
    expect(retryAfterSeconds(httpError(429), now)).toBeNull();
  });
});
