import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { CanActivateFn, Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AuthStore, provideAuth } from '@latchkey/auth-angular';
import { appRoutes, preloadFirstPage } from './app.routes';
import { ADA } from './testing/page-test-bed';
import { probeInputTypes } from './sign-in/input-types-probe';

describe('the page loaders', () => {
  it('hand over each page component, after its warm-up when it has one', async () => {
    for (const route of appRoutes.filter((r) => r.loadComponent)) {
      expect(typeof (await route.loadComponent?.())).toBe('function');
    }
  });

  it.each([
    ['login', () => import('./login/login-page')],
    ['register', () => import('./register/register-page')],
    ['forgot-password', () => import('./forgot-password/forgot-password-page')],
    ['reset-password', () => import('./reset-password/reset-password-page')],
  ])('/%s, a page with text fields, probes the input types before it renders', async (_path, load) => {
    expect((await load()).warmUp).toBe(probeInputTypes);
  });
});

describe('preloadFirstPage', () => {
  it('starts loading the chunk of an open page the browser opened', () => {
    expect(preloadFirstPage('/login')).toBe(true);
    expect(preloadFirstPage('/')).toBe(true);
    expect(preloadFirstPage('/register')).toBe(true);
  });

  it('leaves guarded pages (the account, mail links) and unknown addresses to the router', () => {
    expect(preloadFirstPage('/account')).toBe(false);
    expect(preloadFirstPage('/verify-email')).toBe(false);
    expect(preloadFirstPage('/reset-password')).toBe(false);
    expect(preloadFirstPage('/no-such-page')).toBe(false);
  });
});

@Component({ selector: 'lk-test-page', template: '' })
class TestPage {}

describe('the sign-in routes', () => {
  const guardsOf = (path: string): CanActivateFn[] =>
    (appRoutes.find((route) => route.path === path)?.canActivate ?? []) as CanActivateFn[];

  it.each(['login', 'register'])('/%s sends a signed-in user on to the returnUrl (its guard loads on demand)', async (path) => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path, canActivate: guardsOf(path), component: TestPage },
          { path: 'account', component: TestPage },
        ]),
        provideAuth(),
        provideHttpClientTesting(),
      ],
    });
    TestBed.inject(AuthStore).setSession(ADA, Date.now() + 60_000);
    const harness = await RouterTestingHarness.create();
    await harness.navigateByUrl(`/${path}?returnUrl=%2Faccount%3Ftab%3Dsessions`);
    expect(TestBed.inject(Router).url).toBe('/account?tab=sessions');
  });
});
