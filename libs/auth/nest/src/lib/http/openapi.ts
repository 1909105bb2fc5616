import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiHeader, ApiResponse, type HeadersObject } from '@nestjs/swagger';
import { XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { ApiErrorBody } from './dto/responses';

/*
 * Decorators for the OpenAPI document (CONTRACT.md "Endpoints", "Cookies",
 * "Bad input"). Documentation only: none of them changes what a route does.
 * Answers of one status from several decorators are merged by
 * @nestjs/swagger (descriptions joined), so the shared ones below and an
 * operation's own `ApiErrors` can both name a 400 or a 403.
 */

/** The error statuses the API answers with, all in the one {@link ApiErrorBody} shape. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 503;

/** An operation's error answers: status → when it happens. */
export type ErrorResponses = Partial<Record<ErrorStatus, string>>;

/** Reused descriptions. */
export const ERRORS = {
  database: 'The database is unreachable; answered within 10 s, and the API recovers by itself when it is back',
  signInLimits: 'Too many sign-in failures for this email, client address or device (see Retry-After)',
} as const;

const RETRY_AFTER: HeadersObject = {
  'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } },
};

/** The `Set-Cookie` header of answers that open or rotate a session. */
export const SESSION_COOKIES: HeadersObject = {
  'Set-Cookie': {
    description:
      'The access and refresh cookies (`access_token`, `refresh_token`; `__Host-access_token`, `__Secure-refresh_token` in production), HttpOnly; the device cookie after a sign-in',
    schema: { type: 'string' },
  },
};

/** The `Set-Cookie` header of answers that end the session(s). */
export const CLEARED_COOKIES: HeadersObject = {
  'Set-Cookie': { description: 'Both auth cookies cleared (`Max-Age=0`, same `Path`)', schema: { type: 'string' } },
};

/** An operation's error answers, each with the shared error schema. */
export function ApiErrors(errors: ErrorResponses): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, type: ApiErrorBody, headers: Number(status) === 429 ? RETRY_AFTER : undefined }),
    ),
  );
}

/**
 * A route behind the JWT guard: the access token from `Authorization:
 * Bearer` or from the access cookie (either one satisfies it), else 401.
 */
export function ApiAccessToken(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiCookieAuth(),
    ApiErrors({ 401: 'No valid access token: missing, malformed, expired, signed with another key, or of a revoked session' }),
  );
}

export interface ApiUnsafeOptions {
  /**
   * The route reads the auth cookies itself (login, register, refresh,
   * logout): a Bearer token never exempts it from the XSRF check.
   */
  readsAuthCookies?: boolean;
}

/**
 * A POST, PUT, PATCH or DELETE under the API prefix: the `X-XSRF-TOKEN`
 * header (the double-submit check), and what any unsafe request can meet
 * before the route runs: a body that is not JSON, too deep or too large.
 */
export function ApiUnsafe(options: ApiUnsafeOptions = {}): MethodDecorator {
  const readsAuthCookies = options.readsAuthCookies ?? false;
  const description = readsAuthCookies
    ? `Must equal the ${XSRF_COOKIE_NAME} cookie (any API response sets one). Required even with a Bearer token: this route reads the auth cookies.`
    : `Must equal the ${XSRF_COOKIE_NAME} cookie (any API response sets one). Required unless the request authenticates with a valid \`Authorization: Bearer\` access token, which exempts it (its cookies are then ignored).`;
  return applyDecorators(
    ApiHeader({ name: XSRF_HEADER_NAME, required: readsAuthCookies, description, schema: { type: 'string' } }),
    ApiErrors({
      400: 'The body is not valid JSON, or is nested deeper than 64 levels',
      403: `Missing or wrong ${XSRF_HEADER_NAME} header`,
      413: 'The body is larger than 100 KB',
    }),
  );
}
