import { DynamicModule, Module, Provider } from '@nestjs/common';
import { AUTH_CONFIG } from '../auth.constants';

/** Holds the one {@link AuthConfig} provider so imported modules can inject it too. */
@Module({})
export class AuthConfigModule {
  static register(provider: Provider, imports: DynamicModule['imports'] = []): DynamicModule {
    return { module: AuthConfigModule, imports, providers: [provider], exports: [AUTH_CONFIG] };
  }
}
