/** Cookie and header names (../shared/CONTRACT.md "Cookies"). */
export interface AuthCookieNames {
  readonly access: string;
  readonly refresh: string;
  /** Which account this browser signed in to successfully (see "Sign-in limits"). */
  readonly device: string;
}

export const DEV_COOKIE_NAMES: AuthCookieNames = {
  access: 'access_token',
  refresh: 'refresh_token',
  device: 'lk_device',
};

/** Production names: `__Host-` pins the access cookie to the origin, `__Secure-` demands HTTPS. */
export const PRODUCTION_COOKIE_NAMES: AuthCookieNames = {
  access: '__Host-access_token',
  refresh: '__Secure-refresh_token',
  device: '__Secure-lk_device',
};

export function authCookieNames(isProduction: boolean): AuthCookieNames {
  return isProduction ? PRODUCTION_COOKIE_NAMES : DEV_COOKIE_NAMES;
}

/** Angular's HttpClient reads this cookie and echoes it in the header below. */
export const XSRF_COOKIE_NAME = 'XSRF-TOKEN';
export const XSRF_HEADER_NAME = 'X-XSRF-TOKEN';

/** The refresh cookie is only ever sent to the auth endpoints. */
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** The device cookie goes where the refresh cookie goes, for 90 days after a successful sign-in. */
export const DEVICE_COOKIE_PATH = REFRESH_COOKIE_PATH;
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 90 * 24 * 60 * 60;
