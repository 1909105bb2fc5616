import { DOCUMENT, DestroyRef, Injectable, inject } from '@angular/core';
import { HttpClient, HttpContext, HttpContextToken, HttpErrorResponse } from '@angular/common/http';
import { Observable, catchError, finalize, map, of, shareReplay, throwError } from 'rxjs';
import { AuthPaths } from '@latchkey/auth-contract';
import { AUTH_CONFIG } from './auth.config';
import { AUTH_STORAGE, writeStorage } from './browser-apis';

/** Where a logout that could not be sent waits, across reloads and browser restarts. */
export const PENDING_LOGOUT_KEY = 'latchkey:pending-logout';

/** Set on the kept logout itself: the interceptor lets it through instead of holding it. */
export const IS_PENDING_LOGOUT = new HttpContextToken<boolean>(() => false);

/**
 * A sign-out made offline (contract, "The Angular library"): the user is forgotten at
 * once, and the logout request, which ends the session on the server and clears the
 * HttpOnly cookies, goes out before any other API request as soon as the network is
 * back, also after the browser was closed and reopened. Kept in localStorage; without
 * it, for the life of the page.
 */
@Injectable({ providedIn: 'root' })
export class PendingLogout {
  private readonly http = inject(HttpClient);
  private readonly config = inject(AUTH_CONFIG);
  private readonly storage = inject(AUTH_STORAGE);
  private inMemory = false;
  private sending$: Observable<void> | null = null;
  /** Whether this page has tried to send it yet. */
  private sent = false;

  constructor() {
    const view = inject(DOCUMENT).defaultView;
    const onOnline = () => {
      if (this.isPending()) this.send().subscribe({ error: () => undefined });
    };
    view?.addEventListener('online', onOnline);
    inject(DestroyRef).onDestroy(() => view?.removeEventListener('online', onOnline));
    // A logout kept by an earlier visit: send it now (the browser may have been closed
    // meanwhile). In a task of its own: this may be constructed inside an HTTP call.
    if (this.isPending()) setTimeout(() => this.sent || onOnline());
  }

  isPending(): boolean {
    try {
      if (this.storage?.getItem(PENDING_LOGOUT_KEY) != null) return true;
    } catch {
      // storage unreadable: the in-memory flag still holds for this page
    }
    return this.inMemory;
  }

  /** Keeps the logout to send once the network is back. */
  remember(): void {
    // Without storage this page still sends it.
    this.inMemory = true;
    writeStorage(() => this.storage?.setItem(PENDING_LOGOUT_KEY, String(Date.now())));
  }

  /**
   * Sends the kept logout, shared by every caller meanwhile; completes at once when none
   * is kept. Fails (the logout still kept) when it cannot be delivered yet.
   */
  send(): Observable<void> {
    if (!this.isPending()) return of(undefined);
    this.sent = true;
    this.sending$ ??= this.http
      .post<void>(`${this.config.apiBaseUrl}/${AuthPaths.logout}`, null, { context: new HttpContext().set(IS_PENDING_LOGOUT, true) })
      .pipe(
        // 401: the session had already ended; the logout has nothing left to do.
        catchError((error: unknown) => (error instanceof HttpErrorResponse && error.status === 401 ? of(null) : throwError(() => error))),
        map(() => this.forget()),
        finalize(() => (this.sending$ = null)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
    return this.sending$;
  }

  private forget(): void {
    this.inMemory = false;
    writeStorage(() => this.storage?.removeItem(PENDING_LOGOUT_KEY));
  }
}
