import { Injectable, computed, signal } from '@angular/core';
import { User } from '@latchkey/auth-contract';

/** `unknown` until the app has asked the API (or signed in); then one of the other two. */
export type AuthStatus = 'unknown' | 'authenticated' | 'anonymous';

/**
 * Why this tab is signed out, for the login page to say: the user signed out here,
 * another tab of this browser signed out, or the session ended on the server (signed
 * out from another device, or past its limits).
 */
export type SignOutReason = 'signed-out' | 'other-tab' | 'session-ended';

interface AuthState {
  status: AuthStatus;
  user: User | null;
  /** Epoch milliseconds at which the access token expires. */
  expiresAt: number | null;
  /** The user is the last one known here, shown while the API cannot be reached. */
  stale: boolean;
  /** Set when a session here ended; null while signed in or before anyone was. */
  signOutReason: SignOutReason | null;
}

/** The signed-in user as signals. Only the auth library writes to it. */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly state = signal<AuthState>({ status: 'unknown', user: null, expiresAt: null, stale: false, signOutReason: null });
  private readonly slow = signal(false);

  readonly status = computed(() => this.state().status);
  readonly user = computed(() => this.state().user);
  readonly isAuthenticated = computed(() => this.state().status === 'authenticated');
  readonly expiresAtMs = computed(() => this.state().expiresAt);
  readonly expiresAt = computed(() => {
    const ms = this.expiresAtMs();
    return ms === null ? null : new Date(ms);
  });
  /** True while the user shown is the last one known here and the API cannot be reached: data may be out of date. */
  readonly isStale = computed(() => this.state().stale);
  /** Why this tab was signed out, if it was (see {@link SignOutReason}). */
  readonly signOutReason = computed(() => this.state().signOutReason);
  /** True only while a refresh has been running for more than a second. */
  readonly isRefreshingSlowly = this.slow.asReadonly();

  setSession(user: User, expiresAt: number): void {
    this.state.set({ status: 'authenticated', user, expiresAt, stale: false, signOutReason: null });
  }

  /** Offline: the last user known here, until the API can say (no expiry: nothing to refresh yet). */
  setOfflineUser(user: User): void {
    this.state.set({ status: 'authenticated', user, expiresAt: null, stale: true, signOutReason: null });
  }

  /**
   * The signed-in user's details changed (a verified email, a new name) without a new
   * session. Ignored unless that user is the one signed in.
   */
  updateUser(user: User): void {
    this.state.update((s) => (s.status === 'authenticated' && s.user?.id === user.id ? { ...s, user } : s));
  }

  /** Another refresh (maybe in another tab) renewed the cookies; the user is unchanged. */
  updateExpiry(expiresAt: number): void {
    this.state.update((s) => (s.status === 'authenticated' ? { ...s, expiresAt } : s));
  }

  /** Nobody is signed in here; `reason` when a session here just ended. */
  markAnonymous(reason: SignOutReason | null = null): void {
    this.state.update((s) => ({
      status: 'anonymous',
      user: null,
      expiresAt: null,
      stale: false,
      // A visitor who never signed in has no reason; an earlier one is kept until a sign-in.
      signOutReason: reason ?? (s.status === 'authenticated' ? 'session-ended' : s.signOutReason),
    }));
  }

  setRefreshingSlowly(isSlow: boolean): void {
    this.slow.set(isSlow);
  }
}

/** `accessTokenExpiresAt` (ISO-8601) as epoch ms; null when unparsable. */
export function parseExpiry(iso: string): number | null {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
