/** Shapes the API returns (../shared/CONTRACT.md "Endpoints"). */
export type AuthProvider = 'password' | 'google';

export interface User {
  id: string;
  email: string;
  /** The user proved the address (a mailed link, a password reset, or Google vouched for it). */
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
  providers: AuthProvider[];
}

export interface AuthResponse {
  user: User;
  /** ISO-8601 instant at which the access token expires. */
  accessTokenExpiresAt: string;
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  /** The client address of the session's last sign-in or refresh (after TRUST_PROXY), or null. */
  ipAddress: string | null;
  /** True for the session the request was made with. */
  current: boolean;
}

/** `POST /auth/register` with `EMAIL_VERIFICATION=required`: no session until the mailed link is used. */
export interface VerificationRequiredResponse {
  user: User;
  verificationRequired: true;
}

/** `POST /auth/email/verify`. */
export interface UserResponse {
  user: User;
}

export interface ProvidersResponse {
  password: true;
  google: boolean;
}

export interface HealthResponse {
  status: 'ok' | 'error';
  db: 'up' | 'down';
}

/** Nest's error body; every error of the API has all three fields. */
export interface ApiError {
  statusCode: number;
  message: string | string[];
  error: string;
}

/** Codes of `/login?error=<code>` after a failed Google sign-in. */
export type GoogleErrorCode =
  | 'invalid_state'
  | 'access_denied'
  | 'provider_error'
  | 'email_not_verified'
  | 'provider_unavailable';
