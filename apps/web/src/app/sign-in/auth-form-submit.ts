import { FormGroup } from '@angular/forms';
import { FormSubmit, injectFormSubmit } from './form-submit';
import { injectSignInProviders } from './sign-in-providers';

export interface AuthFormSubmit extends FormSubmit {
  readonly isGoogleOffered: () => boolean;
}

/**
 * The submit flow of the signed-out forms (sign in, register, forgot and reset password):
 * `injectFormSubmit`, with the POST only after `/auth/providers` has given the browser its
 * XSRF cookie — a first visit has none.
 */
export function injectAuthFormSubmit(form: FormGroup, onError: (error: unknown) => void): AuthFormSubmit {
  const providers = injectSignInProviders();
  return { ...injectFormSubmit(form, onError, providers.ready$), isGoogleOffered: providers.isGoogleOffered };
}
