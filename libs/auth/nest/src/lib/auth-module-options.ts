import type { ModuleMetadata, Type } from '@nestjs/common';
import type { AuthConfig } from './config/auth-config';
import type { MailTransport } from './mail/mail-transport';
import type { UserStore } from './users/user-store';

/** How the module is put together (as opposed to {@link AuthConfig}, what it does). */
export interface AuthModuleExtras extends Pick<ModuleMetadata, 'imports'> {
  /**
   * Modules whose exports your `userStore` or `mailTransport` inject, e.g.
   * `TypeOrmModule.forFeature([Account])` for your own repository. With
   * `forRootAsync` they also serve the config factory.
   */
  imports?: ModuleMetadata['imports'];
  /**
   * Your own user store (bound to `USER_STORE`); defaults to Latchkey's
   * `users` table. With your own, Latchkey never writes `users`: sessions
   * keep your user ids (UUIDs), without a foreign key.
   */
  userStore?: Type<UserStore>;
  /**
   * Where you mount the API, e.g. `'api/v1'`: the refresh and device cookie
   * paths and the CSRF scope follow it. Default: Nest's global prefix
   * (`app.setGlobalPrefix`), read when the first request arrives.
   */
  apiPrefix?: string;
  /**
   * Register the guard for every route (`APP_GUARD`), opened per route with
   * `@Public()`. Default true; with false, apply `JwtAuthGuard` yourself.
   */
  globalGuard?: boolean;
  /**
   * Answer every error of the app in Nest's shape, with 503 while the
   * database is away (`APP_FILTER`). Default true; with false, only
   * Latchkey's own routes use its filter.
   */
  globalExceptionFilter?: boolean;
  /**
   * Security headers (helmet, Permissions-Policy) on every response of the
   * HTTP server, static files and 404s included. Default true; with false,
   * only Latchkey's routes get them and the rest is yours.
   */
  globalSecurityHeaders?: boolean;
  /**
   * The double-submit CSRF check on every unsafe request under the API
   * prefix. Default true; with false, only Latchkey's routes are checked.
   */
  globalCsrf?: boolean;
  /**
   * Your own way to hand over mail (bound to `MAIL_TRANSPORT`); defaults to
   * SMTP at SMTP_URL, or the development mail folder without it.
   *
   * @example AuthModule.forRoot(config, { mailTransport: MyProviderApiTransport })
   */
  mailTransport?: Type<MailTransport>;
}

export interface AuthModuleAsyncOptions extends AuthModuleExtras {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  /** Builds the {@link AuthConfig}; it is validated like the environment's (a `ConfigError` naming the field). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => AuthConfig | Promise<AuthConfig>;
}
