import { inject } from '@angular/core';
import { FormGroup } from '@angular/forms';
import { switchMap } from 'rxjs';
import { FormSubmit, injectFormSubmit } from './form-submit';
import { injectSignInProviders } from './sign-in-providers';
import { SignedInRedirect } from './signed-in-redirect';

export interface AuthFormSubmit extends FormSubmit {
  readonly isGoogleOffered: () => boolean;
}

export interface AuthFormSubmitOptions {
  /**
   * The sign-in and registration forms: post only once the page's background session check
   * (`redirectSignedInGuard`) found no session; when it found one, the user is sent on instead.
   */
  readonly waitForSessionCheck?: boolean;
}

/**
 * The submit flow of the signed-out forms (sign in, register, forgot and reset password):
 * `injectFormSubmit`, with the POST only after `/auth/providers` has given the browser its
 * XSRF cookie — a first visit has none.
 */
export function injectAuthFormSubmit(
  form: FormGroup,
  onError: (error: unknown) => void,
  options: AuthFormSubmitOptions = {},
): AuthFormSubmit {
  const providers = injectSignInProviders();
  const redirect = inject(SignedInRedirect);
  const ready$ = options.waitForSessionCheck
    ? providers.ready$.pipe(switchMap(() => redirect.whenNotSignedIn()))
    : providers.ready$;
  return { ...injectFormSubmit(form, onError, ready$), isGoogleOffered: providers.isGoogleOffered };
}
