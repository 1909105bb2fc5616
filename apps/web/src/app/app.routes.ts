import { Route } from '@angular/router';
import { authGuard } from '@latchkey/auth-angular';
import { MailLinkPaths } from '@latchkey/auth-contract';
import { mailLinkTokenGuard } from './mail-link/mail-link-token';

/** `/reset-password` → `reset-password`: the router's paths have no leading slash. */
const routePath = (path: string) => path.replace(/^\//, '');

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
    path: 'forgot-password',
    title: 'Reset your password · Latchkey',
    loadComponent: () => import('./forgot-password/forgot-password-page').then((m) => m.ForgotPasswordPage),
  },
  {
    // Mail links open these two; the guard takes #token=… off the address bar before the page loads.
    path: routePath(MailLinkPaths.resetPassword),
    title: 'Choose a new password · Latchkey',
    canActivate: [mailLinkTokenGuard],
    loadComponent: () => import('./reset-password/reset-password-page').then((m) => m.ResetPasswordPage),
  },
  {
    path: routePath(MailLinkPaths.verifyEmail),
    title: 'Verify your email · Latchkey',
    canActivate: [mailLinkTokenGuard],
    loadComponent: () => import('./verify-email/verify-email-page').then((m) => m.VerifyEmailPage),
  },
  {
    path: 'account',
    title: 'Your account · Latchkey',
    canActivate: [authGuard],
    loadComponent: () => import('./account/account-page').then((m) => m.AccountPage),
  },
  { path: '**', redirectTo: '' },
];
