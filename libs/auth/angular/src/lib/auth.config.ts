import { InjectionToken } from '@angular/core';
import { API_PREFIX } from '@latchkey/auth-contract';

/** What `onAuthFail` is told when the session cannot be refreshed any more. */
export interface AuthFailEvent {
  /** The URL the user was on (or navigating to), for `/login?returnUrl=…`. */
  returnUrl: string;
}

export interface AuthConfig {
  /** Where the API lives; a path on this origin or an absolute URL. Default `/api/v1`. */
  apiBaseUrl?: string;
  /** The app's sign-in route. Default `/login`. */
  loginPath?: string;
  /**
   * Called once when refresh answers 401 (the session is over). Runs in an injection
   * context, so it may `inject(Router)`. Default: a message, then `/login?returnUrl=…`.
   */
  onAuthFail?: (event: AuthFailEvent) => void;
  /** Wait before the one retry of a refresh that failed on the network. Default 1000. */
  refreshBackoffMs?: number;
  /**
   * Refresh this long before the access token expires (plus jitter), but never more than a
   * quarter of the token's remaining life (short TTLs would otherwise refresh in a loop). Default 60 000.
   */
  proactiveRefreshLeadMs?: number;
  /** A refresh taking longer counts as a network failure. Default 10 000. */
  refreshTimeoutMs?: number;
}

export type ResolvedAuthConfig = Required<Omit<AuthConfig, 'onAuthFail'>> &
  Pick<AuthConfig, 'onAuthFail'>;

export const DEFAULT_AUTH_CONFIG: ResolvedAuthConfig = {
  apiBaseUrl: `/${API_PREFIX}`,
  loginPath: '/login',
  refreshBackoffMs: 1000,
  proactiveRefreshLeadMs: 60_000,
  refreshTimeoutMs: 10_000,
};

/** The contract: no progress indicator unless a refresh takes longer than this. */
export const SLOW_REFRESH_MS = 1000;

export const AUTH_CONFIG = new InjectionToken<ResolvedAuthConfig>('AUTH_CONFIG');

export function resolveAuthConfig(config: AuthConfig = {}): ResolvedAuthConfig {
  const defined = Object.fromEntries(
    Object.entries(config).filter(([, value]) => value !== undefined),
  ) as AuthConfig;
  const resolved = { ...DEFAULT_AUTH_CONFIG, ...defined };
  return { ...resolved, apiBaseUrl: resolved.apiBaseUrl.replace(/\/+$/, '') };
}
