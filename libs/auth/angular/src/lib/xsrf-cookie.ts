import { DOCUMENT, Injectable, inject } from '@angular/core';
import { HttpClient, HttpInterceptorFn, HttpXsrfTokenExtractor } from '@angular/common/http';
import { Observable, catchError, finalize, map, of, shareReplay, switchMap } from 'rxjs';
import { AuthPaths, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { AUTH_CONFIG } from './auth.config';
import { apiRelativePath } from './auth.interceptor';

/** The methods the API refuses without the XSRF header. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The `XSRF-TOKEN` cookie comes with any API response; a fresh browser has none, and its
 * first unsafe request would meet a `403`. This asks the API for it once, shared by every
 * request that waits for it.
 */
@Injectable({ providedIn: 'root' })
export class XsrfCookie {
  private readonly http = inject(HttpClient);
  private readonly tokens = inject(HttpXsrfTokenExtractor);
  private readonly config = inject(AUTH_CONFIG);
  private priming$: Observable<string | null> | null = null;

  /**
   * The token, at once when the cookie is there, else after one `GET auth/providers`
   * (public and cheap). Null when even that gave none (API unreachable, cookies blocked):
   * the request then goes out as it is and gets its own answer.
   */
  token(): Observable<string | null> {
    const token = this.tokens.getToken();
    if (token !== null) return of(token);
    this.priming$ ??= this.http
      // ngsw-bypass: an answer from a service worker's cache would bring no cookie.
      .get(`${this.config.apiBaseUrl}/${AuthPaths.providers}`, { headers: { 'ngsw-bypass': 'true' } })
      .pipe(
        catchError(() => of(null)), // an error response still carries the cookie
        map(() => this.tokens.getToken()),
        finalize(() => (this.priming$ = null)),
        shareReplay({ bufferSize: 1, refCount: false }),
      );
    return this.priming$;
  }
}

/**
 * Holds an unsafe API request without the XSRF header until the cookie exists, then sends
 * it with the header. Angular's own XSRF interceptor runs first, before any interceptor
 * given to `provideHttpClient`, so it has already passed such a request on headerless:
 * the header is set here. Only for an API on this origin: Angular never sends the header
 * elsewhere, and this page cannot read another origin's cookie.
 * Registered by `provideAuth()`.
 */
export const xsrfCookieInterceptor: HttpInterceptorFn = (request, next) => {
  if (!UNSAFE_METHODS.has(request.method) || request.headers.has(XSRF_HEADER_NAME)) return next(request);
  const documentBase = inject(DOCUMENT).baseURI;
  const isOurApi = apiRelativePath(request.url, inject(AUTH_CONFIG).apiBaseUrl, documentBase) !== null;
  if (!isOurApi || !isSameOrigin(request.url, documentBase)) return next(request);
  return inject(XsrfCookie)
    .token()
    .pipe(
      switchMap((token) =>
        next(token === null ? request : request.clone({ setHeaders: { [XSRF_HEADER_NAME]: token } })),
      ),
    );
};

function isSameOrigin(url: string, documentBase: string): boolean {
  try {
    return new URL(url, documentBase).origin === new URL(documentBase).origin;
  } catch {
    return false;
  }
}
