import { ApplicationRef, EnvironmentInjector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { provideAuth } from '@latchkey/auth-angular';
import { API } from '../testing/page-test-bed';
import { injectSignInProviders } from './sign-in-providers';

const PROVIDERS_URL = `${API}/auth/providers`;

describe('injectSignInProviders', () => {
  let httpMock: HttpTestingController;

  beforeEach(() => {
    document.cookie = `${XSRF_COOKIE_NAME}=xsrf-test-token; path=/`;
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideAuth({ refreshBackoffMs: 0 }), provideHttpClientTesting()],
    });
    httpMock = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpMock.verify());

  const inject = () => runInInjectionContext(TestBed.inject(EnvironmentInjector), () => injectSignInProviders());

  it('asks the API in the next task, not while the page is being created; the app is busy until then', async () => {
    const providers = inject();
    httpMock.expectNone(PROVIDERS_URL);
    await TestBed.inject(ApplicationRef).whenStable();
    httpMock.expectOne(PROVIDERS_URL).flush({ password: true, google: true });
    await firstValueFrom(providers.ready$);
    expect(providers.isGoogleOffered()).toBe(true);
  });

  it('is ready (Google not offered) when the API cannot answer', async () => {
    const providers = inject();
    await TestBed.inject(ApplicationRef).whenStable();
    httpMock.expectOne(PROVIDERS_URL).error(new ProgressEvent('error'));
    await firstValueFrom(providers.ready$, { defaultValue: undefined });
    expect(providers.isGoogleOffered()).toBe(false);
  });
});
