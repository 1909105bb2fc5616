import { Inject } from '@nestjs/common';

/** Injection token of the typed {@link AuthConfig}. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

/** Injection token of the {@link UserStore}; a host app may provide its own. */
export const USER_STORE = Symbol('USER_STORE');

/** Metadata key set by `@Public()`. */
export const IS_PUBLIC_KEY = 'latchkey:isPublic';

/** Injection token of the shared ioredis client (null without REDIS_URL). */
export const AUTH_REDIS = Symbol('AUTH_REDIS');

/**
 * Injection token of the {@link MailTransport} the outbox delivers through:
 * by default SMTP at SMTP_URL, or the development mail folder without it.
 */
export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/**
 * Injection token of the API prefix the host gave `AuthModule` (`apiPrefix`);
 * unset, the module follows Nest's global prefix.
 */
export const AUTH_API_PREFIX = Symbol('AUTH_API_PREFIX');

/** Internal: how `AuthModule` was put together (global headers, CSRF). */
export const AUTH_MODULE_LAYOUT = Symbol('AUTH_MODULE_LAYOUT');

/** Injection token of a `MailRetryPolicy` that replaces the default (tests shorten it). */
export const MAIL_RETRY_POLICY = Symbol('MAIL_RETRY_POLICY');

/** Internal: the counters behind the sign-in limits (in memory, or Redis). */
export const ATTEMPT_COUNTER = Symbol('ATTEMPT_COUNTER');

/** Internal: this module instance's passport strategy names (two AuthModules in one process keep apart). */
export const STRATEGY_NAMES = Symbol('STRATEGY_NAMES');

/** Injects the typed `AuthConfig` (token `AUTH_CONFIG`). */
export const InjectAuthConfig = (): PropertyDecorator & ParameterDecorator => Inject(AUTH_CONFIG);

/** Injects the `UserStore` in use: yours, or Latchkey's `users` table (token `USER_STORE`). */
export const InjectUserStore = (): PropertyDecorator & ParameterDecorator => Inject(USER_STORE);

/** Injects the `MailTransport` the outbox delivers through (token `MAIL_TRANSPORT`). */
export const InjectMailTransport = (): PropertyDecorator & ParameterDecorator => Inject(MAIL_TRANSPORT);
