import { EnvironmentInjector, inject, runInInjectionContext } from '@angular/core';
import { CanActivateFn, Route } from '@angular/router';
import { from, isObservable, switchMap } from 'rxjs';
import { authGuard } from '@latchkey/auth-angular';
import { MailLinkPaths } from '@latchkey/auth-contract';
import { mailLinkTokenGuard } from './mail-link/mail-link-token';

/** `/reset-password` → `reset-password`: the router's paths have no leading slash. */
const routePath = (path: string) => path.replace(/^\//, '');

/** What a page's module may export besides its component: work worth doing before it renders. */
interface PageModule {
  warmUp?: () => void;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve));

/**
 * A page's module, handed over in a new task: evaluating the page's chunk, its `warmUp` (when it
 * has one) and rendering the page are then main-thread tasks of their own instead of one long
 * one (Lighthouse's long tasks on /login).
 */
async function inNextTask<T>(module: T): Promise<T> {
  const { warmUp } = module as PageModule;
  if (warmUp) {
    await nextTask();
    warmUp();
  }
  await nextTask();
  return module;
}

/**
 * A guard whose code loads when a route first needs it, not with the shell: the sign-in pages'
 * redirect (and the contract's returnUrl rules) are theirs, not every page's initial JavaScript.
 */
function lazyGuard(load: () => Promise<CanActivateFn>): CanActivateFn {
  return (route, state) => {
    const injector = inject(EnvironmentInjector);
    return from(load()).pipe(
      switchMap((guard) => {
        const result = runInInjectionContext(injector, () => guard(route, state));
        return isObservable(result) ? result : from(Promise.resolve(result));
      }),
    );
  };
}

/** Signed-in users opening /login or /register go on to their returnUrl or their account. */
const redirectSignedIn = lazyGuard(() =>
  import('./sign-in/signed-in-redirect').then((m) => m.redirectSignedInGuard),
);

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
    canActivate: [redirectSignedIn],
    loadComponent: () => import('./login/login-page').then(inNextTask).then((m) => m.LoginPage),
  },
  {
    path: 'register',
    title: 'Create an account · Latchkey',
    canActivate: [redirectSignedIn],
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

/** Guards that always let a visitor who is not yet known to be signed in open the page. */
const OPENS_THE_PAGE = new Set<unknown>([redirectSignedIn]);

/**
 * Starts loading the chunk of the page the browser opened while the app boots, instead of after:
 * the router asks for the same module later and gets it from the module map. Pages whose guards
 * may send the visitor elsewhere are left to the router (an anonymous visit to /account ends on
 * /login; a mail link's guard must run first). True when a chunk was asked for.
 */
export function preloadFirstPage(pathname: string): boolean {
  const segment = pathname.replace(/^\//, '').split('/')[0];
  const route = appRoutes.find(
    (r) => r.path === segment && (r.canActivate ?? []).every((guard) => OPENS_THE_PAGE.has(guard)),
  );
  if (!route?.loadComponent) return false;
  void route.loadComponent();
  return true;
}
