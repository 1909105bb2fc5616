import { EnvironmentInjector, Injectable, inject, runInInjectionContext } from '@angular/core';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import {
  Observable,
  Subscription,
  TimeoutError,
  catchError,
  defer,
  map,
  of,
  shareReplay,
  switchMap,
  tap,
  throwError,
  timeout,
  timer,
} from 'rxjs';
import { AuthPaths, AuthResponse } from '@latchkey/auth-contract';
import { AUTH_CONFIG, SLOW_REFRESH_MS } from './auth.config';
import { AUTH_MESSAGES, AUTH_MESSENGER } from './auth-messenger';
import { AuthStore, parseExpiry } from './auth.store';
import { LockManagerLike, WEB_LOCKS } from './browser-apis';
import { LoginRedirect } from './login-redirect';
import { TabSync } from './tab-sync';

/** The Web Lock every tab of this origin takes before refreshing. */
export const REFRESH_LOCK_NAME = 'latchkey-refresh';

/**
 * - `refreshed`: the cookies are fresh, retry.
 * - `rejected`: refresh answered 401, the session is over.
 * - `offline`: refresh failed on the network twice.
 * - `failed`: refresh failed otherwise (5xx, 429…); the session may still be good.
 */
export type RefreshOutcome = 'refreshed' | 'rejected' | 'offline' | 'failed';

/** What a tab knew when it sent a request; later compared with what changed since. */
export interface RequestSnapshot {
  epoch: number;
  expiresAt: number | null;
  sentAt: number;
}

/**
 * Who hears about a failed refresh:
 * - `all`: an ordinary request — `onAuthFail`, or the lost-connection message and login;
 * - `rejection-only`: the background timer — only a definite end of the session;
 * - `connection-message-only`: a caller that navigates by itself (the route guard) — only the
 *   lost-connection message; a 401 from refresh may just be a visitor who never signed in.
 */
export type FailureNotice = 'all' | 'rejection-only' | 'connection-message-only';

interface RefreshAttempt {
  readonly outcome$: Observable<RefreshOutcome>;
  readonly startedAnonymous: boolean;
  isFailureHandled: boolean;
  slowTimer?: ReturnType<typeof setTimeout>;
}

/**
 * One refresh at a time: every caller in this tab shares the in-flight one
 * (`shareReplay`), and tabs take turns under a Web Lock, skipping the call when
 * another tab already refreshed after their request was sent.
 */
@Injectable({ providedIn: 'root' })
export class RefreshCoordinator {
  private readonly http = inject(HttpClient);
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(AuthStore);
  private readonly tabs = inject(TabSync);
  private readonly locks = inject(WEB_LOCKS);
  private readonly messenger = inject(AUTH_MESSENGER);
  private readonly redirect = inject(LoginRedirect);
  private readonly injector = inject(EnvironmentInjector);

  /** Bumped each time a refresh in this tab settles. */
  private epoch = 0;
  private current: RefreshAttempt | null = null;
  private last: RefreshAttempt | null = null;

  snapshot(): RequestSnapshot {
    return { epoch: this.epoch, expiresAt: this.store.expiresAtMs(), sentAt: Date.now() };
  }

  /**
   * A request sent at `sent` got a 401. Emits once: whether to retry it. A refresh
   * that settled after the request was sent is reused rather than repeated.
   */
  refreshAfterUnauthorized(sent: RequestSnapshot, notice: FailureNotice): Observable<RefreshOutcome> {
    const settledSinceSent = sent.epoch !== this.epoch ? this.last : null;
    const attempt = this.current ?? settledSinceSent ?? this.start(sent);
    return attempt.outcome$.pipe(tap((outcome) => this.reportFailure(attempt, outcome, notice)));
  }

  /** Refresh ahead of expiry; only a definite end of the session is reported. */
  refreshInBackground(): Observable<RefreshOutcome> {
    return this.refreshAfterUnauthorized(this.snapshot(), 'rejection-only');
  }

  private start(sent: RequestSnapshot): RefreshAttempt {
    const outcome$ = this.exclusive(() => this.refreshUnlessAnotherTabDid(sent)).pipe(
      catchError(() => of<RefreshOutcome>('failed')),
      tap((outcome) => this.settle(attempt, outcome)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    const attempt: RefreshAttempt = {
      outcome$,
      startedAnonymous: this.store.status() === 'anonymous',
      isFailureHandled: false,
      slowTimer: setTimeout(() => this.store.setRefreshingSlowly(true), SLOW_REFRESH_MS),
    };
    this.current = attempt;
    return attempt;
  }

  private settle(attempt: RefreshAttempt, outcome: RefreshOutcome): void {
    clearTimeout(attempt.slowTimer);
    this.store.setRefreshingSlowly(false);
    if (outcome === 'rejected') this.store.markAnonymous(attempt.startedAnonymous ? null : 'session-ended');
    this.epoch++;
    this.last = attempt;
    this.current = null;
  }

  private refreshUnlessAnotherTabDid(sent: RequestSnapshot): Observable<RefreshOutcome> {
    return defer(() => {
      const other = this.tabs.latestRefresh();
      const isNewerThanSent =
        other !== null &&
        other.at > sent.sentAt &&
        other.expiresAt !== sent.expiresAt &&
        other.expiresAt > Date.now();
      if (isNewerThanSent) {
        this.store.updateExpiry(other.expiresAt);
        return of<RefreshOutcome>('refreshed');
      }
      return this.callRefresh().pipe(
        catchError((error: unknown) =>
          isNetworkFailure(error)
            ? timer(this.config.refreshBackoffMs).pipe(switchMap(() => this.callRefresh()))
            : throwError(() => error),
        ),
        map((response) => this.adopt(response)),
        catchError((error: unknown) => of(classifyFailure(error))),
      );
    });
  }

  private callRefresh(): Observable<AuthResponse> {
    const url = `${this.config.apiBaseUrl}/${AuthPaths.refresh}`;
    return this.http.post<AuthResponse>(url, null).pipe(timeout(this.config.refreshTimeoutMs));
  }

  private adopt(response: AuthResponse): RefreshOutcome {
    const expiresAt = parseExpiry(response.accessTokenExpiresAt);
    if (expiresAt === null) return 'failed';
    this.store.setSession(response.user, expiresAt);
    this.tabs.publishSession(response.user, expiresAt);
    return 'refreshed';
  }

  /** Runs `work` holding the cross-tab lock, or directly without Web Locks. */
  private exclusive<T>(work: () => Observable<T>): Observable<T> {
    const locks: LockManagerLike | null = this.locks;
    if (!locks) return work();
    return new Observable<T>((subscriber) => {
      let inner: Subscription | undefined;
      let isGranted = false;
      locks
        .request(REFRESH_LOCK_NAME, () => {
          isGranted = true;
          return new Promise<void>((release) => {
            inner = work().subscribe({
              next: (value) => subscriber.next(value),
              error: (error) => {
                release();
                subscriber.error(error);
              },
              complete: () => {
                release();
                subscriber.complete();
              },
            });
            inner.add(() => release());
          });
        })
        .catch(() => {
          // The lock itself failed (not the refresh): carry on per tab.
          if (!isGranted && !subscriber.closed) inner = work().subscribe(subscriber);
        });
      return () => inner?.unsubscribe();
    });
  }

  private reportFailure(attempt: RefreshAttempt, outcome: RefreshOutcome, notice: FailureNotice): void {
    if (outcome === 'refreshed' || outcome === 'failed' || attempt.isFailureHandled) return;
    if (notice === 'rejection-only' && outcome !== 'rejected') return;
    if (notice === 'connection-message-only' && outcome !== 'offline') return;
    attempt.isFailureHandled = true;
    if (outcome === 'rejected') {
      // Someone who signed out on purpose needs no "session ended" message.
      if (!attempt.startedAnonymous) this.onAuthFail();
      return;
    }
    this.messenger.show(AUTH_MESSAGES.lostConnection);
    if (notice === 'all') this.redirect.navigateToLogin({ withReturnUrl: true });
  }

  private onAuthFail(): void {
    const custom = this.config.onAuthFail;
    if (custom) {
      const returnUrl = this.redirect.currentUrl();
      runInInjectionContext(this.injector, () => custom({ returnUrl }));
      return;
    }
    this.messenger.show(AUTH_MESSAGES.sessionEnded);
    this.redirect.navigateToLogin({ withReturnUrl: true });
  }
}

/**
 * The request never reached the API: no response (status 0), our own timeout, or the
 * service worker's stand-in for a failed fetch (@angular/service-worker answers 504
 * without a body when offline; the API's own errors always have one). Never judged by
 * message text.
 */
export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  if (!(error instanceof HttpErrorResponse)) return false;
  return error.status === 0 || (error.status === 504 && (error.error === null || error.error === undefined || error.error === ''));
}

function classifyFailure(error: unknown): RefreshOutcome {
  if (isNetworkFailure(error)) return 'offline';
  if (error instanceof HttpErrorResponse && error.status === 401) return 'rejected';
  return 'failed';
}
