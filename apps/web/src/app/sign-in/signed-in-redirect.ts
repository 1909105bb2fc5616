import { Injectable, inject } from '@angular/core';
import { CanActivateFn, Router, UrlTree } from '@angular/router';
import { Observable, filter, map, of, shareReplay, take } from 'rxjs';
import { safeReturnUrl } from '@latchkey/auth-contract';
import { AuthService, AuthStore } from '@latchkey/auth-angular';
import { SIGN_IN_RETURN_URL } from './sign-in-return';

/**
 * Keeps signed-in users off the sign-in and registration forms: they go on to their
 * `returnUrl` (made safe by the contract's `safeReturnUrl`) or to their account.
 */
@Injectable({ providedIn: 'root' })
export class SignedInRedirect {
  private readonly auth = inject(AuthService);
  private readonly store = inject(AuthStore);
  private readonly router = inject(Router);
  /** The session check this service started and is still waiting for. */
  private pending$: Observable<boolean> | null = null;

  /** Where a signed-in user opening `pageUrl` goes instead. */
  target(pageUrl: string): UrlTree {
    const returnUrl = this.router.parseUrl(pageUrl).queryParamMap.get('returnUrl');
    return this.router.parseUrl(safeReturnUrl(returnUrl, SIGN_IN_RETURN_URL));
  }

  /**
   * Signed in with a session known to work right now: the access token has not expired and the
   * user is not the offline copy. Not so when the library itself sends the user to sign in after
   * a refresh failed on the network ("Lost connection…"): the store still names the user then,
   * and sending them back would loop between the page they wanted and this one.
   */
  isSessionLive(): boolean {
    const expiresAt = this.store.expiresAtMs();
    return this.store.isAuthenticated() && !this.store.isStale() && expiresAt !== null && expiresAt > Date.now();
  }

  /**
   * When nobody knows yet whether this browser is signed in (a first load), the page opens at
   * once and asks the API meanwhile: a signed-out visitor never waits on that answer (two
   * requests when signed out: `/auth/me`, then the refresh). A signed-in one is sent on when it
   * comes, unless they have left the page by then.
   */
  checkInBackground(pageUrl: string): void {
    if (this.store.status() !== 'unknown' || this.pending$) return;
    const pending$ = this.auth.restoreSession().pipe(
      take(1),
      map(() => this.isSessionLive()),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    this.pending$ = pending$;
    pending$.subscribe({
      next: (isLive) => {
        this.pending$ = null;
        if (isLive && pathOf(this.currentUrl()) === pathOf(pageUrl)) {
          void this.router.navigateByUrl(this.target(pageUrl), { replaceUrl: true });
        }
      },
      error: () => (this.pending$ = null),
    });
  }

  /**
   * Emits once the running session check (if any) found no session; never when it found one:
   * the user is being sent on. A form waits for it before it posts, so a sign-in cannot cross
   * the check's answer (a late "signed out" landing after the sign-in).
   */
  whenNotSignedIn(): Observable<void> {
    return (this.pending$ ?? of(false)).pipe(
      filter((isLive) => !isLive),
      map(() => undefined),
      take(1),
    );
  }

  /** Where the user is, or is going if a navigation is under way. */
  private currentUrl(): string {
    const navigation = this.router.currentNavigation();
    const url = navigation?.finalUrl ?? navigation?.extractedUrl;
    return url ? this.router.serializeUrl(url) : this.router.url;
  }
}

/**
 * On `/login` and `/register`: a signed-in user (`isSessionLive`) is sent on at once; a first load opens the page
 * and checks in the background (`SignedInRedirect.checkInBackground`). A `?error=` from the Google
 * flow is shown whoever is signed in: a failed re-authentication must be able to say why.
 */
export const redirectSignedInGuard: CanActivateFn = (route, state) => {
  if (route.queryParamMap.has('error')) return true;
  const redirect = inject(SignedInRedirect);
  if (redirect.isSessionLive()) return redirect.target(state.url);
  redirect.checkInBackground(state.url);
  return true;
};

const pathOf = (url: string) => url.split(/[?#]/)[0];
