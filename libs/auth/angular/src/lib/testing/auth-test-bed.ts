import { TestBed } from '@angular/core/testing';
import { HttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';
import { AuthResponse, User } from '@latchkey/auth-contract';
import { AuthConfig } from '../auth.config';
import { AUTH_MESSENGER, AuthMessenger } from '../auth-messenger';
import { AuthStore } from '../auth.store';
import { AUTH_CHANNEL, AUTH_STORAGE, CACHE_STORAGE, WEB_LOCKS } from '../browser-apis';
import { provideAuth } from '../provide-auth';
import { FakeCacheStorage, FakeChannelHub, FakeLocks, MemoryStorage, setXsrfCookie } from './browser-fakes';

export const API = '/api/v1';
export const REFRESH_URL = `${API}/auth/refresh`;
/** The XSRF cookie a browser holds once the API has answered it once. */
export const XSRF_TOKEN = 'xsrf-test-token';

export const ALICE: User = {
  id: 'u1',
  email: 'alice@example.com',
  emailVerified: true,
  name: 'Alice',
  picture: null,
  providers: ['password'],
};

export function authResponse(expiresAt: number, user: User = ALICE): AuthResponse {
  return { user, accessTokenExpiresAt: new Date(expiresAt).toISOString() };
}

export interface AuthTestBedOptions {
  config?: AuthConfig;
  /** False: a browser without Web Locks. */
  withLocks?: boolean;
  cacheNames?: string[];
  /** The browser's XSRF cookie; null: a fresh browser that never reached the API. Default {@link XSRF_TOKEN}. */
  xsrfCookie?: string | null;
  /** What localStorage already holds, as after an earlier visit (the browser closed and reopened). */
  storedItems?: Record<string, string>;
}

/** provideAuth() with HttpTestingController and fake browser APIs; router navigation stubbed. */
export function setUpAuthTestBed(options: AuthTestBedOptions = {}) {
  const hub = new FakeChannelHub();
  const locks = new FakeLocks();
  const storage = new MemoryStorage();
  for (const [key, value] of Object.entries(options.storedItems ?? {})) storage.setItem(key, value);
  const caches = new FakeCacheStorage(options.cacheNames ?? []);
  const messages: string[] = [];
  const messenger: AuthMessenger = { show: (message) => messages.push(message) };
  setXsrfCookie(options.xsrfCookie === undefined ? XSRF_TOKEN : options.xsrfCookie);
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideAuth({ refreshBackoffMs: 1000, ...options.config }),
      provideHttpClientTesting(),
      { provide: WEB_LOCKS, useValue: options.withLocks === false ? null : locks },
      { provide: AUTH_CHANNEL, useFactory: () => hub.open() },
      { provide: AUTH_STORAGE, useValue: storage },
      { provide: CACHE_STORAGE, useValue: caches },
      { provide: AUTH_MESSENGER, useValue: messenger },
    ],
  });
  const router = TestBed.inject(Router);
  const navigations: string[] = [];
  router.navigateByUrl = (url) => {
    navigations.push(typeof url === 'string' ? url : router.serializeUrl(url));
    return Promise.resolve(true);
  };
  return {
    http: TestBed.inject(HttpClient),
    httpMock: TestBed.inject(HttpTestingController),
    store: TestBed.inject(AuthStore),
    router,
    hub,
    locks,
    storage,
    caches,
    messages,
    navigations,
  };
}
