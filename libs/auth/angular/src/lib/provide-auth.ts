import { EnvironmentProviders, inject, makeEnvironmentProviders, provideEnvironmentInitializer } from '@angular/core';
import {
  HttpFeature,
  HttpFeatureKind,
  provideHttpClient,
  withInterceptors,
  withXsrfConfiguration,
} from '@angular/common/http';
import { XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { AUTH_CONFIG, AuthConfig, resolveAuthConfig } from './auth.config';
import { authInterceptor } from './auth.interceptor';
import { KnownUser } from './known-user';
import { PendingLogout } from './pending-logout';
import { ProactiveRefresh } from './proactive-refresh';
import { TabSync } from './tab-sync';
import { xsrfCookieInterceptor } from './xsrf-cookie';

/**
 * Latchkey auth for a standalone app. Provides HttpClient itself, with the auth
 * interceptor and the contract's XSRF cookie/header (fetched before the first unsafe
 * request when the browser has none), so it cannot be forgotten:
 * do not call `provideHttpClient()` as well; pass its features here instead.
 *
 * ```ts
 * providers: [provideRouter(routes), provideAuth({ loginPath: '/login' }, withFetch())]
 * ```
 */
export function provideAuth(
  config: AuthConfig = {},
  ...httpFeatures: HttpFeature<HttpFeatureKind>[]
): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: AUTH_CONFIG, useValue: resolveAuthConfig(config) },
    provideHttpClient(
      // The host's own interceptors (in httpFeatures) run after these and see the XSRF header.
      withInterceptors([authInterceptor, xsrfCookieInterceptor]),
      withXsrfConfiguration({ cookieName: XSRF_COOKIE_NAME, headerName: XSRF_HEADER_NAME }),
      ...httpFeatures,
    ),
    provideEnvironmentInitializer(() => {
      inject(TabSync);
      inject(ProactiveRefresh);
      // A logout kept while offline goes out as soon as it can, also after a browser restart.
      inject(PendingLogout);
      // The last signed-in profile, for reading offline.
      inject(KnownUser);
    }),
  ]);
}
