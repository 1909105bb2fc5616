import { Route } from '@angular/router';
import { authGuard } from '@latchkey/auth-angular';
import { MailLinkPaths } from '@latchkey/auth-contract';
import { mailLinkTokenGuard } from './mail-link/mail-link-token';

/** `/reset-password` → `reset-password`: the router's paths have no leading slash. */
const routePath = (path: string) => path.replace(/^\//, '');

/**
 * A page's module, handed over in a new task: evaluating the page's chunk and rendering the
 * page are then two main-thread tasks instead of one long one (Lighthouse's long tasks on /login).
 */
function inNextTask<T>(module: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(module)));
}

/** Every page is its own lazy chunk: the first load carries only the shell and the auth library. */
export const appRoutes: Route[] = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Latchkey',
    loadComponent: () => import('./home/home-page').then(inNextTask).then((m) => m.HomePage),
  },
  {
    path: 'login',
    title: 'Sign in · Latchkey',
    loadComponent: () => import('./login/login-page').then(inNextTask).then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create an account · Latchkey',
    loadComponent: () => import('./register/register-page').then(inNextTask).then((m) => m.RegisterPage),
  },
  {
    path: 'forgot-password',
    title: 'Reset your password · Latchkey',
    loadComponent: () => import('./forgot-password/forgot-password-page').then(inNextTask).then((m) => m.ForgotPasswordPage),
  },
  {
    // Mail links open these two; the guard takes #token=… off the address bar before the page loads.
    path: routePath(MailLinkPaths.resetPassword),
    title: 'Choose a new password · Latchkey',
    canActivate: [mailLinkTokenGuard],
    loadComponent: () => import('./reset-password/reset-password-page').then(inNextTask).then((m) => m.ResetPasswordPage),
  },
  {
    path: routePath(MailLinkPaths.verifyEmail),
    title: 'Verify your email · Latchkey',
    canActivate: [mailLinkTokenGuard],
    loadComponent: () => import('./verify-email/verify-email-page').then(inNextTask).then((m) => m.VerifyEmailPage),
  },
  {
    path: 'account',
    title: 'Your account · Latchkey',
    canActivate: [authGuard],
    loadComponent: () => import('./account/account-page').then(inNextTask).then((m) => m.AccountPage),
  },
  { path: '**', redirectTo: '' },
];

/**
 * Starts loading the chunk of the page the browser opened while the app boots, instead of after:
 * the router asks for the same module later and gets it from the module map. Guarded pages are
 * left to the router (an anonymous visit to /account ends on /login; a mail link's guard must run
 * first). True when a chunk was asked for.
 */
export function preloadFirstPage(pathname: string): boolean {
  const segment = pathname.replace(/^\//, '').split('/')[0];
  const route = appRoutes.find((r) => r.path === segment && !r.canActivate && r.loadComponent);
  if (!route?.loadComponent) return false;
  void route.loadComponent();
  return true;
}
