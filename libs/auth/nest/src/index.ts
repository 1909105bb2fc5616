// The public API of @latchkey/auth-nest. Everything else is internal and may change.

// The module and how it is put together
export { AuthModule } from './lib/auth.module';
export { AuthRoutes } from './lib/config/auth-routes';
export { validateAuthConfig } from './lib/config/validate-auth-config';
export type { AuthModuleAsyncOptions, AuthModuleExtras } from './lib/auth-module-options';
export { AUTH_API_PREFIX, AUTH_CONFIG, AUTH_REDIS, InjectAuthConfig, InjectMailTransport, InjectUserStore, IS_PUBLIC_KEY, MAIL_TRANSPORT, USER_STORE } from './lib/auth.constants';
export { AUTH_MESSAGES } from './lib/auth-messages';
export type { AuthMessageCode } from './lib/auth-messages';

// Configuration
export type { AuthConfig, EmailVerificationMode, GoogleConfig, MailConfig, RuntimeEnv } from './lib/config/auth-config';
export { ConfigError } from './lib/config/config-error';
export { EnvReader } from './lib/config/env-reader';
export type { Environment } from './lib/config/env-reader';
export { describeAuthConfig, loadAuthConfig, readDataDir, readRuntimeEnv } from './lib/config/load-config';

// Database: entities and migrations for the host's own connection, or Latchkey's
export { AUTH_ENTITIES, AUTH_MIGRATIONS } from './lib/auth-entities';
export { authDataSourceOptions, createPostgresDataSource, openPostgresDataSource } from './lib/auth-data-source';
export { initializeAndMigrate } from './lib/database/data-source';
export type { AuthDataSourceOptions } from './lib/database/data-source';
export { DatabaseModule } from './lib/database.module';
export { UserEntity } from './lib/users/user.entity';
export { ExternalIdentityEntity } from './lib/users/external-identity.entity';
export { SessionEntity } from './lib/sessions/session.entity';
export { SessionTombstoneEntity } from './lib/sessions/session-tombstone.entity';
export { RefreshTokenEntity } from './lib/sessions/refresh-token.entity';
export { AccountTokenEntity } from './lib/tokens/account-token.entity';
export { MailOutboxEntity } from './lib/mail/mail-outbox.entity';

// Routes and callers
export { Public } from './lib/decorators/public.decorator';
export { CurrentUser } from './lib/decorators/current-user.decorator';
export { NoStore } from './lib/decorators/no-store.decorator';
export type { AuthenticatedCaller } from './lib/tokens/authenticated-caller';
export { JwtAuthGuard } from './lib/guards/jwt-auth.guard';

// Services a host may inject
export { TokenService } from './lib/sessions/token.service';
export { SessionService } from './lib/sessions/session.service';
export { CookieService } from './lib/cookies/cookie.service';

// Bring your own users
export type { AuthUser, ExternalProfile, NewPasswordUser, UserChanges, UserStore, UserStoreTransaction } from './lib/users/user-store';
export { EmailTakenError, normaliseEmail } from './lib/users/user-store';

// Mail
export type { MailKind, OutgoingMail } from './lib/mail/outgoing-mail';
export type { MailMessage, MailTransport } from './lib/mail/mail-transport';
export { isPermanentMailError } from './lib/mail/mail-transport';
export { SmtpMailTransport } from './lib/mail/smtp-mail-transport';
export { FolderMailTransport } from './lib/mail/folder-mail-transport';
export { MailComposer } from './lib/mail/mail-composer';
export { MailOutbox } from './lib/mail/mail-outbox';
export { MailSender } from './lib/mail/mail-sender';
export type { MailRetryPolicy } from './lib/mail/mail-sender';

// HTTP pieces a host installs on its own app
export { ApiExceptionFilter } from './lib/http/api-exception.filter';
export { AuthValidationPipe } from './lib/http/auth-validation.pipe';
export { refuseDeepJson } from './lib/http/json-depth.middleware';
