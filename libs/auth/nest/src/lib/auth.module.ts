import { DynamicModule, Inject, MiddlewareConsumer, Module, NestModule, Provider, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import cookieParser from 'cookie-parser';
import { AccountService } from './accounts/account.service';
import { EmailVerificationMail } from './tokens/email-verification-mail';
import { EmailVerificationService } from './accounts/email-verification.service';
import { PasswordResetService } from './accounts/password-reset.service';
import { Reauthentication } from './accounts/reauthentication';
import { AUTH_API_PREFIX, AUTH_CONFIG, AUTH_MODULE_LAYOUT, USER_STORE, STRATEGY_NAMES } from './auth.constants';
import type { AuthModuleAsyncOptions, AuthModuleExtras } from './auth-module-options';
import type { AuthConfig } from './config/auth-config';
import { AuthConfigModule } from './config/auth-config.module';
import { AUTH_SEGMENT, AuthRoutes } from './config/auth-routes';
import { validateAuthConfig } from './config/validate-auth-config';
import { AuthCookieInterceptor } from './cookies/auth-cookie.interceptor';
import { CookieService } from './cookies/cookie.service';
import { XsrfMiddleware } from './csrf/xsrf.middleware';
import { AuthEventLogger } from './events/auth-event-logger';
import { JwtAuthGuard } from './guards/jwt-auth.guard';
import { MailModule } from './mail/mail.module';
import { nextStrategyNames, StrategyNames } from './guards/strategy-names';
import { SecurityHeadersMiddleware } from './headers/security-headers.middleware';
import { GoogleAccountService } from './google/google-account.service';
import { GoogleAuthController } from './http/google-auth.controller';
import { GoogleAuthGuard } from './google/google-auth.guard';
import { GoogleStateStore } from './google/google-state.store';
import { GoogleStrategy } from './google/google.strategy';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { refuseDeepJson } from './http/json-depth.middleware';
import { AccountController } from './http/account.controller';
import { AuthController } from './http/auth.controller';
import { PasswordController } from './http/password.controller';
import { SessionsController } from './http/sessions.controller';
import { PasswordAuthService } from './passwords/password-auth.service';
import { PasswordHasher } from './passwords/password-hasher';
import { RevocationRegistry } from './sessions/revocation-registry';
import { SessionCleanup } from './sessions/session-cleanup';
import { SessionService } from './sessions/session.service';
import { SessionStore } from './sessions/session.store';
import { ThrottlingModule } from './throttling/throttling.module';
import { signingKeyForTypings } from './tokens/signing-key';
import { AccountTokenStore } from './tokens/account-token.store';
import { TokenService } from './sessions/token.service';
import { TypeOrmUserStore } from './users/typeorm-user.store';

/** The controllers `AuthModule` mounts, all under `auth/` (contract, "Endpoints"). */
const AUTH_CONTROLLERS = [AuthController, PasswordController, AccountController, SessionsController, GoogleAuthController];

/** What the module's own instance needs to know about how it was put together. */
interface AuthModuleLayout {
  readonly globalSecurityHeaders: boolean;
  readonly globalCsrf: boolean;
}

/**
 * Sign-in and sessions for a Nest app. `forRoot` takes a ready
 * {@link AuthConfig} (see `loadAuthConfig`); `forRootAsync` builds it from other
 * providers. Either way the config is validated before anything starts.
 * Needs a TypeORM connection holding `AUTH_ENTITIES` and `AUTH_MIGRATIONS`.
 */
@Module({})
export class AuthModule implements NestModule {
  static forRoot(config: AuthConfig, extras: AuthModuleExtras = {}): DynamicModule {
    return AuthModule.build(AuthConfigModule.register({ provide: AUTH_CONFIG, useValue: validateAuthConfig(config) }), extras);
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    const provider = {
      provide: AUTH_CONFIG,
      inject: options.inject ?? [],
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      useFactory: async (...args: any[]) => validateAuthConfig(await options.useFactory(...args)),
    };
    return AuthModule.build(AuthConfigModule.register(provider, options.imports), options);
  }

  private static build(configModule: DynamicModule, extras: AuthModuleExtras): DynamicModule {
    const globals: Provider[] = [];
    if (extras.globalExceptionFilter !== false) globals.push({ provide: APP_FILTER, useClass: ApiExceptionFilter });
    if (extras.globalGuard !== false) globals.push({ provide: APP_GUARD, useClass: JwtAuthGuard });
    const layout: AuthModuleLayout = { globalSecurityHeaders: extras.globalSecurityHeaders !== false, globalCsrf: extras.globalCsrf !== false };
    return {
      module: AuthModule,
      imports: [
        configModule,
        ...(extras.imports ?? []),
        PassportModule,
        JwtModule.registerAsync({
          imports: [configModule],
          inject: [AUTH_CONFIG],
          useFactory: (config: AuthConfig) => ({
            secret: signingKeyForTypings(config.jwtSecret),
            signOptions: { algorithm: 'HS256' },
            verifyOptions: { algorithms: ['HS256'] },
          }),
        }),
        ThrottlingModule.register(configModule),
        MailModule.register(configModule, extras.mailTransport, extras.imports),
      ],
      controllers: AUTH_CONTROLLERS,
      providers: [
        ...globals,
        { provide: AUTH_MODULE_LAYOUT, useValue: layout },
        ...(extras.apiPrefix === undefined ? [] : [{ provide: AUTH_API_PREFIX, useValue: extras.apiPrefix }]),
        AuthRoutes,
        AccountService,
        AccountTokenStore,
        EmailVerificationMail,
        EmailVerificationService,
        PasswordResetService,
        Reauthentication,
        { provide: STRATEGY_NAMES, useValue: nextStrategyNames() },
        { provide: USER_STORE, useClass: extras.userStore ?? TypeOrmUserStore },
        AuthCookieInterceptor,
        AuthEventLogger,
        GoogleAccountService,
        GoogleAuthGuard,
        GoogleStateStore,
        {
          // Registered with passport only when Google is configured.
          provide: GoogleStrategy,
          inject: [AUTH_CONFIG, GoogleStateStore, GoogleAccountService, STRATEGY_NAMES],
          useFactory: (config: AuthConfig, store: GoogleStateStore, accounts: GoogleAccountService, names: StrategyNames) =>
            config.google ? new GoogleStrategy(config.google, store, accounts, names.google) : null,
        },
        CookieService,
        JwtAuthGuard,
        SecurityHeadersMiddleware,
        PasswordAuthService,
        PasswordHasher,
        RevocationRegistry,
        SessionCleanup,
        SessionService,
        SessionStore,
        TokenService,
      ],
      exports: [configModule, AuthRoutes, USER_STORE, STRATEGY_NAMES, TokenService, JwtAuthGuard, CookieService, SessionService, MailModule],
    };
  }

  /**
   * Security headers go onto the HTTP server itself, ahead of everything the
   * app registers later (routes, static files, the 404 handler), so every
   * response carries them.
   */
  constructor(
    adapterHost: HttpAdapterHost,
    headers: SecurityHeadersMiddleware,
    @Inject(AUTH_MODULE_LAYOUT) private readonly layout: AuthModuleLayout,
  ) {
    if (layout.globalSecurityHeaders) adapterHost.httpAdapter?.use(headers.use.bind(headers));
  }

  configure(consumer: MiddlewareConsumer): void {
    const everyRoute = { path: '{*path}', method: RequestMethod.ALL };
    // Every route of the module is under `auth` (the host's prefix is added by Nest). Two
    // path layers rather than one per route: Express matches each layer on every request.
    const authRoutes = [
      { path: AUTH_SEGMENT, method: RequestMethod.ALL },
      { path: `${AUTH_SEGMENT}/{*path}`, method: RequestMethod.ALL },
    ];
    // The guard reads the access cookie on the host's routes too.
    consumer.apply(cookieParser()).forRoutes(everyRoute);
    // After the host's body parser, before any guard, throttle or pipe of Latchkey's routes.
    consumer.apply(refuseDeepJson()).forRoutes(...authRoutes);
    if (!this.layout.globalSecurityHeaders) consumer.apply(SecurityHeadersMiddleware).forRoutes(...authRoutes);
    if (this.layout.globalCsrf) consumer.apply(XsrfMiddleware).forRoutes(everyRoute);
    else consumer.apply(XsrfMiddleware).forRoutes(...authRoutes);
  }
}
