import { DestroyRef, ElementRef, Signal, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormGroup } from '@angular/forms';
import { Router } from '@angular/router';
import { Observable, finalize, switchMap } from 'rxjs';
import { focusFirstInvalidControl } from './focus-first-invalid';
import { injectSignInProviders } from './sign-in-providers';

export interface AuthFormSubmit {
  readonly isPending: Signal<boolean>;
  /** The message above the form; null while there is none. */
  readonly serverError: ReturnType<typeof signal<string | null>>;
  readonly isGoogleOffered: () => boolean;
  /** Validates, waits for the XSRF cookie, sends, then navigates to `target()` or reports the error. */
  submit(send: () => Observable<unknown>): void;
}

/**
 * The submit flow the login and register forms share: one request at a time,
 * focus on the first invalid field, the POST only after `/auth/providers`
 * has given the browser its XSRF cookie.
 */
export function injectAuthFormSubmit(form: FormGroup, target: Signal<string>, onError: (error: unknown) => void): AuthFormSubmit {
  const router = inject(Router);
  const host = inject<ElementRef<HTMLElement>>(ElementRef);
  const destroyRef = inject(DestroyRef);
  const providers = injectSignInProviders();
  const isPending = signal(false);
  const serverError = signal<string | null>(null);
  return {
    isPending: isPending.asReadonly(),
    serverError,
    isGoogleOffered: providers.isGoogleOffered,
    submit(send) {
      if (isPending()) return;
      serverError.set(null);
      if (form.invalid) {
        form.markAllAsTouched();
        focusFirstInvalidControl(form, host.nativeElement);
        return;
      }
      isPending.set(true);
      providers.ready$
        .pipe(
          switchMap(send),
          finalize(() => isPending.set(false)),
          takeUntilDestroyed(destroyRef),
        )
        .subscribe({
          next: () => void router.navigateByUrl(target()),
          error: onError,
        });
    },
  };
}
