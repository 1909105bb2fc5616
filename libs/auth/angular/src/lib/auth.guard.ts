import { inject } from '@angular/core';
import { CanActivateFn } from '@angular/router';
import { map } from 'rxjs';
import { AuthService } from './auth.service';
import { AuthStore } from './auth.store';
import { LoginRedirect } from './login-redirect';

/** Lets signed-in users through; sends everyone else to the login page with a returnUrl. */
export const authGuard: CanActivateFn = (_route, state) => {
  const store = inject(AuthStore);
  const redirect = inject(LoginRedirect);
  const toLogin = () => redirect.urlTree(state.url);
  if (store.status() === 'authenticated') return true;
  if (store.status() === 'anonymous') return toLogin();
  return inject(AuthService)
    .restoreSession()
    .pipe(map((isSignedIn) => isSignedIn || toLogin()));
};
