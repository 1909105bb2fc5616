/**
 * What the API tells users, in one place to read and to translate. The codes are stable; the texts may change. Messages of
 * validation errors come from the DTOs (class-validator).
 */
export const AUTH_MESSAGES = {
  /** 401 from the guard: no valid access token (missing, expired, revoked, forged). */
  unauthenticated: 'Authentication required',
  /** 401 from refresh for any refresh token that no longer opens a session. */
  sessionEnded: 'Your session has ended; please sign in again',
  /** 403 from the CSRF check. */
  invalidXsrfToken: 'Missing or invalid XSRF token',
  sessionNotFound: 'Session not found',
  googleNotConfigured: 'Google sign-in is not configured',
  /** 401 for an unknown email and a wrong password alike: no account discovery. */
  invalidCredentials: 'Email or password is incorrect',
  emailTaken: 'An account with this email already exists',
  /** 403 at sign-in with EMAIL_VERIFICATION=required, only once the password was right. */
  emailNotVerified: 'Confirm your email address first: we have sent you a new link',
  /** 400 for an unknown, expired or used link alike. */
  invalidAccountToken: 'This link is invalid or has expired; ask for a new one',
  /** 409 when an email-change link is used after another account took the address. */
  emailTakenMeanwhile: 'Another account uses this email address now',
  sameEmail: 'This is already your email address',
  wrongCurrentPassword: 'The current password is incorrect',
  /** `password/change` on an account that signs in with Google only. */
  noPasswordToChange: 'This account has no password yet; use “Forgot password” to set one',
  /** Re-authentication: the account has a password and none was given. */
  passwordRequired: 'Enter your current password to confirm',
  wrongPassword: 'The password is incorrect',
  /** Re-authentication of an account without a password: the session is older than 10 minutes. */
  signInAgain: 'For your security, sign in again, then retry within 10 minutes',
  tooManyResetRequests: 'Too many password reset requests; try again later',
  tooManyVerificationMails: 'Too many verification emails requested; try again later',
} as const;

export type AuthMessageCode = keyof typeof AUTH_MESSAGES;
