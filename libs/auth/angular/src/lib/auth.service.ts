import { Injectable, inject } from '@angular/core';
import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { Observable, catchError, finalize, map, of, shareReplay, tap, throwError } from 'rxjs';
import {
  AuthPaths,
  AuthResponse,
  LoginRequest,
  ProvidersResponse,
  RegisterRequest,
  SessionInfo,
  User,
} from '@latchkey/auth-contract';
import { AUTH_CONFIG } from './auth.config';
import { AuthStore, parseExpiry } from './auth.store';
import { CACHE_STORAGE } from './browser-apis';
import { HANDLES_AUTH_FAILURE } from './auth.interceptor';
import { clearServiceWorkerDataCaches } from './service-worker-caches';
import { TabSync } from './tab-sync';

/** The auth endpoints, keeping `AuthStore` and the other tabs up to date. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly config = inject(AUTH_CONFIG);
  private readonly store = inject(AuthStore);
  private readonly tabs = inject(TabSync);
  private readonly caches = inject(CACHE_STORAGE);
  private restoring$: Observable<boolean> | null = null;

  login(credentials: LoginRequest): Observable<User> {
    return this.http.post<AuthResponse>(this.url(AuthPaths.login), credentials).pipe(
      map((response) => this.startSession(response)),
    );
  }

  register(details: RegisterRequest): Observable<User> {
    return this.http.post<AuthResponse>(this.url(AuthPaths.register), details).pipe(
      map((response) => this.startSession(response)),
    );
  }

  me(): Observable<User> {
    return this.fetchMe(new HttpContext());
  }

  /** Ends this session everywhere in this browser; the caller decides where to go next. */
  logout(): Observable<void> {
    return this.endSession(this.http.post<void>(this.url(AuthPaths.logout), null));
  }

  /** Ends every session of the user, on every device. */
  logoutAll(): Observable<void> {
    return this.endSession(this.http.post<void>(this.url(AuthPaths.logoutAll), null));
  }

  sessions(): Observable<SessionInfo[]> {
    return this.http.get<SessionInfo[]>(this.url(AuthPaths.sessions));
  }

  deleteSession(id: string): Observable<void> {
    return this.http.delete<void>(`${this.url(AuthPaths.sessions)}/${encodeURIComponent(id)}`);
  }

  providers(): Observable<ProvidersResponse> {
    return this.http.get<ProvidersResponse>(this.url(AuthPaths.providers));
  }

  /**
   * Asks the API once whether this browser has a session (refreshing if needed); callers
   * at the same time share the answer. Emits false instead of failing.
   */
  restoreSession(): Observable<boolean> {
    if (this.store.status() !== 'unknown') return of(this.store.isAuthenticated());
    this.restoring$ ??= this.fetchMe(new HttpContext().set(HANDLES_AUTH_FAILURE, true)).pipe(
      map(() => true),
      catchError((error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401) this.store.markAnonymous();
        return of(false);
      }),
      finalize(() => (this.restoring$ = null)),
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
  private endSession(call: Observable<unknown>): Observable<void> {
    const signOutLocally = () => {
      this.store.markAnonymous();
      this.tabs.publishSignOut();
      void clearServiceWorkerDataCaches(this.caches);
    };
    return call.pipe(
      tap({ next: signOutLocally }),
      catchError((error: unknown) => {
        signOutLocally();
        return throwError(() => error);
      }),
      map(() => undefined),
    );
  }

  private url(path: string): string {
    return `${this.config.apiBaseUrl}/${path}`;
  }
}
