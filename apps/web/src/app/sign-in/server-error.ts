import { HttpErrorResponse } from '@angular/common/http';
import { ApiError } from '@latchkey/auth-contract';

export const SERVER_MESSAGES = {
  unreachable: "Can't reach Latchkey. Check your connection and try again.",
  serverFault: 'Something went wrong on our side. Please try again in a moment.',
} as const;

/**
 * A sentence for the user about a failed API call, decided on the status: the body's
 * message for 4xx answers (the API words them for people), our own words otherwise.
 */
export function serverErrorMessage(error: unknown, fallback: string): string {
  if (!(error instanceof HttpErrorResponse)) return fallback;
  if (isUnreachable(error)) return SERVER_MESSAGES.unreachable;
  if (error.status === 429) return tooManyAttemptsMessage(error);
  if (error.status >= 500) return SERVER_MESSAGES.serverFault;
  return bodyMessage(error) ?? fallback;
}

/**
 * The request never reached the API: no answer (status 0), or the service worker's
 * stand-in for one (it answers 504 without a body when its fetch fails offline; the
 * API's own errors always have a body).
 */
export function isUnreachable(error: unknown): boolean {
  return error instanceof HttpErrorResponse && (error.status === 0 || (error.status === 504 && !error.error));
}

/** `Retry-After` (seconds or an HTTP date) in seconds from now; null when absent or unreadable. */
export function retryAfterSeconds(error: HttpErrorResponse, now = Date.now()): number | null {
  const value = error.headers?.get('Retry-After')?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function tooManyAttemptsMessage(error: HttpErrorResponse): string {
  const seconds = retryAfterSeconds(error);
  const wait = seconds === null ? 'a few minutes' : duration(seconds);
  return `Too many attempts. Please wait ${wait} before trying again.`;
}

function duration(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? 'a second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'a minute' : `${minutes} minutes`;
}

function bodyMessage(error: HttpErrorResponse): string | null {
  const body = error.error as Partial<ApiError> | null;
  const message = body?.message;
  if (typeof message === 'string' && message.trim()) return sentence(message);
  if (Array.isArray(message) && message.length > 0) return message.map(sentence).join(' ');
  return null;
}

/** `email must be an email address` → `Email must be an email address.` */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capitalised = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
