/** The HTTP surface of Latchkey (../shared/CONTRACT.md "Endpoints"). */
export const API_PREFIX = 'api/v1';

/** Paths relative to {@link API_PREFIX}. */
export const AuthPaths = {
  register: 'auth/register',
  login: 'auth/login',
  refresh: 'auth/refresh',
  logout: 'auth/logout',
  logoutAll: 'auth/logout-all',
  me: 'auth/me',
  sessions: 'auth/sessions',
  providers: 'auth/providers',
  google: 'auth/google',
  googleCallback: 'auth/google/callback',
  passwordForgot: 'auth/password/forgot',
  passwordReset: 'auth/password/reset',
  passwordChange: 'auth/password/change',
  emailVerification: 'auth/email/verification',
  emailVerify: 'auth/email/verify',
  emailChange: 'auth/email/change',
} as const;

/** Pages of the web app that mail links point at (`APP_URL` + path + `#token=…`). */
export const MailLinkPaths = {
  resetPassword: '/reset-password',
  verifyEmail: '/verify-email',
  /** Where "your password was changed" sends someone who did not change it. */
  forgotPassword: '/forgot-password',
} as const;

export const HEALTH_PATH = 'health';

/** Auth endpoints whose 401 means "bad credentials", never "refresh and retry". */
export const NON_REFRESHING_AUTH_PATHS: readonly string[] = [
  AuthPaths.login,
  AuthPaths.register,
  AuthPaths.refresh,
  AuthPaths.logout,
];

/** Absolute URL path of an API route, e.g. `apiPath(AuthPaths.me)` → `/api/v1/auth/me`. */
export function apiPath(path: string): string {
  return `/${API_PREFIX}/${path}`;
}
