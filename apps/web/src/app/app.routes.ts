import { Route } from '@angular/router';
import { authGuard } from '@latchkey/auth-angular';

/** Every page is its own lazy chunk: the first load carries only the shell and the auth library. */
export const appRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Latchkey',
    loadComponent: () => import('./home/home-page').then((m) => m.HomePage),
  },
  {
    path: 'login',
    title: 'Sign in · Latchkey',
    loadComponent: () => import('./login/login-page').then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create an account · Latchkey',
    loadComponent: () => import('./register/register-page').then((m) => m.RegisterPage),
  },
  {
    path: 'account',
    title: 'Your account · Latchkey',
    canActivate: [authGuard],
    loadComponent: () => import('./account/account-page').then((m) => m.AccountPage),
  },
  { path: '**', redirectTo: '' },
];
