import type { ModuleMetadata, Type } from '@nestjs/common';
import type { AuthConfig } from './config/auth-config';
import type { MailTransport } from './mail/mail-transport';
import type { UserStore } from './users/user-store';

/** How the module is put together (as opposed to {@link AuthConfig}, what it does). */
export interface AuthModuleExtras {
  /** Your own user store; defaults to the TypeORM `users` table. */
  userStore?: Type<UserStore>;
  /**
   * Register the guard for every route (`APP_GUARD`), opened per route with
   * `@Public()`. Default true; with false, apply `JwtAuthGuard` yourself.
   */
  globalGuard?: boolean;
  /**
   * Your own way to hand over mail (bound to `MAIL_TRANSPORT`); defaults to
   * SMTP at SMTP_URL, or the development mail folder without it.
   *
   * @example AuthModule.forRoot(config, { mailTransport: MyProviderApiTransport })
   */
  mailTransport?: Type<MailTransport>;
}

export interface AuthModuleAsyncOptions extends AuthModuleExtras, Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => AuthConfig | Promise<AuthConfig>;
}
