import { apiPath, AuthPaths, NON_REFRESHING_AUTH_PATHS } from './api-paths';
import { authCookieNames } from './cookie-names';

describe('contract constants', () => {
  it('prefixes the auth cookies only in production', () => {
    expect(authCookieNames(false)).toEqual({ access: 'access_token', refresh: 'refresh_token', device: 'lk_device' });
    expect(authCookieNames(true)).toEqual({ access: '__Host-access_token', refresh: '__Secure-refresh_token', device: '__Secure-lk_device' });
  });

  it('builds absolute API paths under /api/v1', () => {
    expect(apiPath(AuthPaths.me)).toBe('/api/v1/auth/me');
    expect(apiPath(AuthPaths.googleCallback)).toBe('/api/v1/auth/google/callback');
  });

  it('lets /auth/me and /auth/sessions refresh, but not the credential endpoints', () => {
    expect(NON_REFRESHING_AUTH_PATHS).toEqual(['auth/login', 'auth/register', 'auth/refresh', 'auth/logout']);
    expect(NON_REFRESHING_AUTH_PATHS).not.toContain(AuthPaths.me);
  });
});
