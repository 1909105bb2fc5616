import { Type } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Router, provideRouter } from '@angular/router';
import { AuthResponse, User, XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { provideAuth } from '@latchkey/auth-angular';
import { SnackBarAuthMessenger } from '../snack-bar-auth-messenger';

export const API = '/api/v1';

export const ADA: User = {
  id: 'u1',
  email: 'ada@example.com',
  emailVerified: true,
  name: 'Ada Lovelace',
  picture: null,
  providers: ['password'],
};

export function authResponse(user: User = ADA, expiresInMs = 30 * 60_000): AuthResponse {
  return { user, accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString() };
}

export const unauthorized = (message = 'Authentication required') => ({
  body: { statusCode: 401, message, error: 'Unauthorized' },
  init: { status: 401, statusText: 'Unauthorized' },
});

export interface RenderOptions {
  /** Runs once the providers are set up, before the page is created (to seed a service). */
  beforeCreate?: () => void;
}

/** A page with the real auth library, HttpTestingController, and navigation recorded, not performed. */
export async function renderPage<T>(page: Type<T>, inputs: Record<string, unknown> = {}, options: RenderOptions = {}) {
  const messages: string[] = [];
  // A browser that has reached the API once holds its XSRF cookie; without it provideAuth()
  // first GETs the API before every unsafe request (libs/auth/angular, xsrf-cookie.ts).
  document.cookie = `${XSRF_COOKIE_NAME}=xsrf-test-token; path=/`;
  TestBed.configureTestingModule({
    providers: [
      provideRouter([]),
      provideAuth({ refreshBackoffMs: 0 }),
      provideHttpClientTesting(),
      { provide: SnackBarAuthMessenger, useValue: { show: (message: string) => messages.push(message) } },
    ],
  });
  const router = TestBed.inject(Router);
  const navigations: string[] = [];
  jest.spyOn(router, 'navigateByUrl').mockImplementation((url) => {
    navigations.push(typeof url === 'string' ? url : router.serializeUrl(url));
    return Promise.resolve(true);
  });
  options.beforeCreate?.();
  const fixture: ComponentFixture<T> = TestBed.createComponent(page);
  for (const [name, value] of Object.entries(inputs)) fixture.componentRef.setInput(name, value);
  await fixture.whenStable();
  const el = fixture.nativeElement as HTMLElement;
  const httpMock = TestBed.inject(HttpTestingController);
  return {
    fixture,
    el,
    httpMock,
    router,
    navigations,
    messages,
    stable: () => fixture.whenStable(),
    /** Types into the field with that label, as a user would. */
    type(label: string, value: string) {
      const input = fieldByLabel(el, label);
      input.value = value;
      input.dispatchEvent(new Event('input'));
      input.dispatchEvent(new Event('blur'));
    },
    field: (label: string) => fieldByLabel(el, label),
    button: (text: string) => buttonByText(el, text),
    text: () => el.textContent?.replace(/\s+/g, ' ') ?? '',
  };
}

function fieldByLabel(root: HTMLElement, label: string): HTMLInputElement {
  const field = Array.from(root.querySelectorAll('mat-form-field')).find(
    (f) => f.querySelector('mat-label')?.textContent?.trim() === label,
  );
  const input = field?.querySelector('input');
  if (!input) throw new Error(`no field labelled ${label}`);
  return input;
}

function buttonByText(root: HTMLElement, text: string): HTMLButtonElement {
  const button = Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === text);
  if (!button) throw new Error(`no button "${text}"`);
  return button;
}
