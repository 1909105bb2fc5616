import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AUTH_CONFIG } from './auth.constants';
import type { AuthModuleAsyncOptions } from './auth-module-options';
import type { AuthConfig } from './config/auth-config';
import { ApiExceptionFilter } from './http/api-exception.filter';

/**
 * Sign-in and sessions for a Nest app. `forRoot` takes a ready {@link AuthConfig}
 * (see `loadConfig`); `forRootAsync` builds it from other providers.
 */
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return AuthModule.build([{ provide: AUTH_CONFIG, useValue: config }], []);
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return AuthModule.build(
      [{ provide: AUTH_CONFIG, inject: options.inject ?? [], useFactory: options.useFactory }],
      options.imports ?? [],
    );
  }

  private static build(configProviders: Provider[], imports: DynamicModule['imports']): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports,
      providers: [...configProviders, { provide: APP_FILTER, useClass: ApiExceptionFilter }],
      exports: [AUTH_CONFIG],
    };
  }
}
