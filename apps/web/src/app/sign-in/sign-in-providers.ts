import { PendingTasks, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { Observable, catchError, map, of, shareReplay, switchMap, take } from 'rxjs';
import { ProvidersResponse } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';

export interface SignInProviders {
  /** Whether "Sign in with Google" is offered; false until the API has answered. */
  readonly isGoogleOffered: () => boolean;
  /** Completes once the API answered (or failed): the XSRF cookie a POST needs is then set. */
  readonly ready$: Observable<void>;
}

/**
 * Asks `GET /auth/providers` once, as the page opens. Besides the Google switch it is the
 * page's first API call, which gives the browser its XSRF-TOKEN cookie: the sign-in POST
 * waits for it, or a fast first submit would be refused with 403.
 */
export function injectSignInProviders(): SignInProviders {
  const auth = inject(AuthService);
  const providers$ = nextTask(inject(PendingTasks)).pipe(
    switchMap(() => auth.providers()),
    catchError(() => of<ProvidersResponse | null>(null)),
    shareReplay({ bufferSize: 1, refCount: false }),
  );
  const providers = toSignal(providers$, { initialValue: null });
  return {
    isGoogleOffered: () => providers()?.google === true,
    ready$: providers$.pipe(
      take(1),
      map(() => undefined),
    ),
  };
}

/**
 * Emits once, in the next task. The request is sent from there, not while the page is being
 * created: on a first load that is the app's first request, and running HttpClient and the auth
 * interceptors for the first time would lengthen the page's render, already a long task on a
 * phone. The app counts as busy meanwhile (`whenStable()` waits for the request to be sent).
 */
function nextTask(pendingTasks: PendingTasks): Observable<void> {
  return new Observable<void>((subscriber) => {
    const done = pendingTasks.add();
    const timer = setTimeout(() => {
      subscriber.next();
      subscriber.complete();
      done();
    });
    return () => {
      clearTimeout(timer);
      done();
    };
  });
}
