import { DOCUMENT, DestroyRef, Injectable, inject } from '@angular/core';
import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { Observable, catchError, finalize, map, of, shareReplay, tap, throwError } from 'rxjs';
import {
  AuthPaths,
  AuthResponse,
  ChangeEmailRequest,
  ChangePasswordRequest,
  DeleteAccountRequest,
  LoginRequest,
  ProvidersResponse,
  RegisterRequest,
  ResetPasswordRequest,
  SessionInfo,
  UpdateProfileRequest,
  User,
  UserResponse,
  VerificationRequiredResponse,
} from '@latchkey/auth-contract';
import { AUTH_CONFIG } from './auth.config';
import { AuthStore, parseExpiry } from './auth.store';
import { CACHE_STORAGE } from './browser-apis';
import { HANDLES_AUTH_FAILURE } from './auth.interceptor';
import { KnownUser } from './known-user';
import { isNetworkFailure } from './refresh-coordinator';
import { PendingLogout } from './pending-logout';
import { clearServiceWorkerDataCaches } from './service-worker-caches';
import { TabSync } from './tab-sync';

/** What `register()` ended with: signed in, or (`EMAIL_VERIFICATION=required`) waiting for the mailed link. */
export interface RegisterOutcome {
  user: User;
  /** True: no session yet; the user must open the verification link, then sign in. */
  verificationRequired: boolean;
}

/** The auth endpoints, keeping `AuthStore` and the other tabs up to date. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(AuthStore);
  private readonly tabs = inject(TabSync);
  private readonly caches = inject(CACHE_STORAGE);
  private readonly pendingLogout = inject(PendingLogout);
  private readonly knownUser = inject(KnownUser);
  private restoring$: Observable<boolean> | null = null;

  constructor() {
    // Back online after showing the last known user: ask the API (refreshing, or off to login).
    const view = inject(DOCUMENT).defaultView;
    const revalidate = () => {
      if (this.store.isStale()) this.fetchMe(new HttpContext()).subscribe({ error: () => undefined });
    };
    view?.addEventListener('online', revalidate);
    inject(DestroyRef).onDestroy(() => view?.removeEventListener('online', revalidate));
  }

  login(credentials: LoginRequest): Observable<User> {
    return this.http.post<AuthResponse>(this.url(AuthPaths.login), credentials).pipe(
      map((response) => this.startSession(response)),
    );
  }

  /** Signs in, unless the API requires the email to be verified first (then nothing changes here). */
  register(details: RegisterRequest): Observable<RegisterOutcome> {
    return this.http
      .post<AuthResponse | VerificationRequiredResponse>(this.url(AuthPaths.register), details)
      .pipe(
        map((response) =>
          'verificationRequired' in response && response.verificationRequired
            ? { user: response.user, verificationRequired: true }
            : { user: this.startSession(response as AuthResponse), verificationRequired: false },
        ),
      );
  }

  me(): Observable<User> {
    return this.fetchMe(new HttpContext());
  }

  /**
   * Ends this session everywhere in this browser; the caller decides where to go next.
   * Offline it still signs out: the logout is sent once the network is back, before any
   * other API request.
   */
  logout(): Observable<void> {
    return this.endSession(this.http.post<void>(this.url(AuthPaths.logout), null), { completesOffline: true });
  }

  /**
   * Ends every session of the user, on every device. Offline it fails (the other devices
   * stay signed in), but this browser signs out as with `logout()`.
   */
  logoutAll(): Observable<void> {
    return this.endSession(this.http.post<void>(this.url(AuthPaths.logoutAll), null), { completesOffline: false });
  }

  /** Changes the signed-in user's name (null clears it); every tab shows the new one. */
  updateProfile(changes: UpdateProfileRequest): Observable<User> {
    return this.http.patch<AuthResponse>(this.url(AuthPaths.me), changes).pipe(
      map((response) => {
        const expiresAt = parseExpiry(response.accessTokenExpiresAt);
        if (expiresAt !== null) this.store.setSession(response.user, expiresAt);
        this.tabs.publishUser(response.user);
        return response.user;
      }),
    );
  }

  /**
   * Deletes the account (`password` when it has one). On success the user is forgotten in
   * every tab, as after a logout; on a refusal (`403`) nothing changes.
   */
  deleteAccount(request: DeleteAccountRequest = {}): Observable<void> {
    return this.http
      .delete<void>(this.url(AuthPaths.me), { body: request })
      .pipe(tap({ next: () => this.signOutLocally() }), map(() => undefined));
  }

  /** Asks for a reset link; the API answers the same whether or not the address has an account. */
  forgotPassword(email: string): Observable<void> {
    return this.http.post<void>(this.url(AuthPaths.passwordForgot), { email }).pipe(map(() => undefined));
  }

  /**
   * Sets a new password with a mailed link's token. Every session of that user ends, so
   * this browser signs out too (every tab): the user signs in again with the new password.
   */
  resetPassword(request: ResetPasswordRequest): Observable<void> {
    return this.http
      .post<void>(this.url(AuthPaths.passwordReset), request)
      .pipe(tap({ next: () => this.signOutLocally() }), map(() => undefined));
  }

  /** Changes the password; this session stays, the user's other sessions end. */
  changePassword(request: ChangePasswordRequest): Observable<void> {
    return this.http.post<void>(this.url(AuthPaths.passwordChange), request).pipe(map(() => undefined));
  }

  /** Mails the signed-in user a new verification link (nothing when already verified). */
  requestEmailVerification(): Observable<void> {
    return this.http.post<void>(this.url(AuthPaths.emailVerification), null).pipe(map(() => undefined));
  }

  /**
   * Uses a verification or email-change link's token. When that user is signed in here,
   * every tab shows the verified (or new) address.
   */
  verifyEmail(token: string): Observable<User> {
    return this.http.post<UserResponse>(this.url(AuthPaths.emailVerify), { token }).pipe(
      map(({ user }) => {
        if (this.store.user()?.id === user.id) {
          this.store.updateUser(user);
          this.tabs.publishUser(user);
        }
        return user;
      }),
    );
  }

  /** Mails a confirmation link to `newEmail`; the address changes only once it is opened. */
  changeEmail(request: ChangeEmailRequest): Observable<void> {
    return this.http.post<void>(this.url(AuthPaths.emailChange), request).pipe(map(() => undefined));
  }

  sessions(): Observable<SessionInfo[]> {
    return this.http.get<SessionInfo[]>(this.url(AuthPaths.sessions));
  }

  deleteSession(id: string): Observable<void> {
    return this.http.delete<void>(`${this.url(AuthPaths.sessions)}/${encodeURIComponent(id)}`);
  }

  /**
   * Call just before sending the browser to a provider's sign-in page (Google): when it
   * comes back, the app asks the API whether it signed in. (Without a sign-in here
   * before, it would not ask: see `restoreSession`.)
   */
  expectRedirectSignIn(): void {
    this.knownUser.expectRedirectSignIn();
  }

  providers(): Observable<ProvidersResponse> {
    return this.http.get<ProvidersResponse>(this.url(AuthPaths.providers));
  }

  /**
   * Asks the API once whether this browser has a session (refreshing if needed); callers
   * at the same time share the answer. Emits false instead of failing. A browser nobody
   * signed in to (no sign-in here, none under way through `expectRedirectSignIn`) is
   * anonymous without asking.
   */
  restoreSession(): Observable<boolean> {
    if (this.store.status() !== 'unknown') return of(this.store.isAuthenticated());
    if (this.pendingLogout.isPending()) {
      // Signed out offline earlier: nobody is shown signed in, and only the logout goes out.
      this.store.markAnonymous();
      return this.pendingLogout.send().pipe(
        map(() => false),
        catchError(() => of(false)),
      );
    }
    if (!this.knownUser.maySignedInHere()) {
      // Nobody ever signed in in this browser: the API could only answer 401.
      this.store.markAnonymous();
      return of(false);
    }
    this.restoring$ ??= this.fetchMe(new HttpContext().set(HANDLES_AUTH_FAILURE, true)).pipe(
      map(() => true),
      catchError((error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401) this.store.markAnonymous();
        // Offline: show the last user known here (readable pages stay readable), marked stale.
        const known = isNetworkFailure(error) ? this.knownUser.read() : null;
        if (known) this.store.setOfflineUser(known);
        return of(known !== null);
      }),
      finalize(() => {
        this.restoring$ = null;
        this.knownUser.redirectSignInSettled();
      }),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.restoring$;
  }

  private fetchMe(context: HttpContext): Observable<User> {
    return this.http.get<AuthResponse>(this.url(AuthPaths.me), { context }).pipe(
      map((response) => {
        const expiresAt = parseExpiry(response.accessTokenExpiresAt);
        if (expiresAt !== null) this.store.setSession(response.user, expiresAt);
        return response.user;
      }),
    );
  }

  private startSession(response: AuthResponse): User {
    const expiresAt = parseExpiry(response.accessTokenExpiresAt);
    if (expiresAt !== null) {
      this.store.setSession(response.user, expiresAt);
      this.tabs.publishSession(response.user, expiresAt);
    }
    return response.user;
  }

  /** Signs out locally even when the call fails: the user asked to leave. */
  private endSession(call: Observable<unknown>, { completesOffline }: { completesOffline: boolean }): Observable<void> {
    return call.pipe(
      tap({ next: () => this.signOutLocally() }),
      catchError((error: unknown) => {
        const offline = isNetworkFailure(error);
        if (offline) this.pendingLogout.remember();
        this.signOutLocally();
        return offline && completesOffline ? of(undefined) : throwError(() => error);
      }),
      map(() => undefined),
    );
  }

  /** This tab and every other forget the user; cached API answers go too. */
  private signOutLocally(): void {
    this.store.markAnonymous('signed-out');
    this.tabs.publishSignOut();
    void clearServiceWorkerDataCaches(this.caches);
  }

  private url(path: string): string {
    return `${this.config.apiBaseUrl}/${path}`;
  }
}
