import { DOCUMENT, DestroyRef, ElementRef, Signal, WritableSignal, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormGroup } from '@angular/forms';
import { Observable, finalize, of, switchMap } from 'rxjs';
import { focusFirstInvalidControl } from './focus-first-invalid';
import { SERVER_MESSAGES } from './server-error';

export interface FormSubmit {
  readonly isPending: Signal<boolean>;
  /** The message above the submit button; null while there is none. */
  readonly serverError: WritableSignal<string | null>;
  /** Validates, waits for `ready$`, sends, then calls `onDone` with the answer or reports the error. */
  submit<T>(send: () => Observable<T>, onDone: (value: T) => void): void;
}

/**
 * How every form of the app submits: one request at a time, a refused submit puts the
 * keyboard on the first invalid field, the request waits for `ready$` (the XSRF cookie).
 * Call in an injection context.
 */
export function injectFormSubmit(
  form: FormGroup,
  onError: (error: unknown) => void,
  ready$: Observable<unknown> = of(undefined),
): FormSubmit {
  const host = inject<ElementRef<HTMLElement>>(ElementRef);
  const destroyRef = inject(DestroyRef);
  const isPending = signal(false);
  const serverError = signal<string | null>(null);
  // "Can't reach Latchkey" is about the connection: it goes when the connection comes back.
  const view = inject(DOCUMENT).defaultView;
  const onOnline = () => serverError() === SERVER_MESSAGES.unreachable && serverError.set(null);
  view?.addEventListener('online', onOnline);
  destroyRef.onDestroy(() => view?.removeEventListener('online', onOnline));
  return {
    isPending: isPending.asReadonly(),
    serverError,
    submit(send, onDone) {
      if (isPending()) return;
      serverError.set(null);
      if (form.invalid) {
        form.markAllAsTouched();
        focusFirstInvalidControl(form, host.nativeElement);
        return;
      }
      isPending.set(true);
      ready$
        .pipe(
          switchMap(send),
          finalize(() => isPending.set(false)),
          takeUntilDestroyed(destroyRef),
        )
        .subscribe({ next: onDone, error: onError });
    },
  };
}
