import { DOCUMENT, inject } from '@angular/core';
import {
  HttpContext,
  HttpContextToken,
  HttpErrorResponse,
  HttpInterceptorFn,
} from '@angular/common/http';
import { catchError, switchMap, throwError } from 'rxjs';
import { AuthPaths, NON_REFRESHING_AUTH_PATHS } from '@latchkey/auth-contract';
import { AUTH_CONFIG } from './auth.config';
import { IS_PENDING_LOGOUT, PendingLogout } from './pending-logout';
import { FailureNotice, RefreshCoordinator } from './refresh-coordinator';

/** Set on requests this interceptor already handles, so registering it twice is harmless. */
const HANDLED_BY_AUTH = new HttpContextToken<boolean>(() => false);

/**
 * Set by callers that handle a failed session themselves (the route guard): the refresh
 * still happens, but `onAuthFail` and the navigation to login are left to them. A lost
 * connection is still announced, so the user learns why they landed on the login page.
 */
export const HANDLES_AUTH_FAILURE = new HttpContextToken<boolean>(() => false);

/**
 * Sends credentials to the API; on a 401 waits for the one shared refresh and retries
 * the request once. A logout made offline goes out first. Registered by
 * `provideAuth()`; do not add it to `withInterceptors`.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (request.context.get(HANDLED_BY_AUTH)) return next(request);
  const config = inject(AUTH_CONFIG, { optional: true });
  if (!config) {
    throw new Error('authInterceptor needs provideAuth() in the application providers.');
  }
  const path = apiRelativePath(request.url, config.apiBaseUrl, inject(DOCUMENT).baseURI);
  if (path === null) return next(request); // not our API: no cookies for third parties

  const coordinator = inject(RefreshCoordinator);
  const authRequest = request.clone({
    withCredentials: true,
    context: withToken(request.context, HANDLED_BY_AUTH, true),
  });
  const isRefreshable = !NON_REFRESHING_AUTH_PATHS.includes(path);
  const sent = coordinator.snapshot();
  const notice: FailureNotice = request.context.get(HANDLES_AUTH_FAILURE) ? 'connection-message-only' : 'all';
  const pendingLogout = inject(PendingLogout);
  // The XSRF cookie's fetch (auth/providers) is public and must not wait: the logout needs it.
  const waitsForLogout = pendingLogout.isPending() && !request.context.get(IS_PENDING_LOGOUT) && path !== AuthPaths.providers;

  const sendAndRefresh = () => next(authRequest).pipe(
    catchError((error: unknown) => {
      if (!isRefreshable || !(error instanceof HttpErrorResponse) || error.status !== 401) {
        return throwError(() => error);
      }
      return coordinator.refreshAfterUnauthorized(sent, notice).pipe(
        // The retry's own errors, a second 401 included, pass straight to the caller.
        switchMap((outcome) => (outcome === 'refreshed' ? next(authRequest) : throwError(() => error))),
      );
    }),
  );
  return waitsForLogout ? pendingLogout.send().pipe(switchMap(sendAndRefresh)) : sendAndRefresh();
};

/** `auth/me` for `/api/v1/auth/me` (query and trailing slash dropped); null off the API. */
export function apiRelativePath(url: string, apiBaseUrl: string, documentBase: string): string | null {
  let target: URL;
  let api: URL;
  try {
    target = new URL(url, documentBase);
    api = new URL(`${apiBaseUrl.replace(/\/+$/, '')}/`, documentBase);
  } catch {
    return null;
  }
  if (target.origin !== api.origin || !target.pathname.startsWith(api.pathname)) return null;
  return target.pathname.slice(api.pathname.length).replace(/\/+$/, '');
}

/** HttpContext is mutable and may be shared by the caller: copy it, never set on theirs. */
function withToken<T>(context: HttpContext, token: HttpContextToken<T>, value: T): HttpContext {
  const copy = new HttpContext();
  for (const key of context.keys()) copy.set(key, context.get(key));
  return copy.set(token, value);
}
