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
  /**
   * Someone signed in in this browser before, so `restoreSession()` asks the API (`/auth/me`).
   * Without it the auth library treats the browser as a first visit: anonymous, nothing asked.
   */
  signedInHereBefore?: boolean;
}

/**
 * The auth library's record of who signed in here (libs/auth/angular, known-user.ts), which
 * it reads to decide whether a session may exist. Not exported by the library: see its spec.
 */
const KNOWN_USER_STORAGE_KEY = 'latchkey:user';

/** A page with the real auth library, HttpTestingController, and navigation recorded, not performed. */
export async function renderPage<T>(page: Type<T>, inputs: Record<string, unknown> = {}, options: RenderOptions = {}) {
  const messages: string[] = [];
  // A browser that has reached the API once holds its XSRF cookie; without it provideAuth()
  // first GETs the API before every unsafe request (libs/auth/angular, xsrf-cookie.ts).
  document.cookie = `${XSRF_COOKIE_NAME}=xsrf-test-token; path=/`;
  // jsdom keeps one localStorage for a whole spec file: each page starts from a browser of its own.
  localStorage.clear();
  if (options.signedInHereBefore) localStorage.setItem(KNOWN_USER_STORAGE_KEY, JSON.stringify(ADA));
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
    /** The show/hide button in the password field with that label. */
    toggle: (label: string) => toggleByLabel(el, label),
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

function toggleByLabel(root: HTMLElement, label: string): HTMLButtonElement {
  const field = fieldByLabel(root, label).closest('mat-form-field');
  const button = field?.querySelector<HTMLButtonElement>('lk-password-visibility-toggle button');
  if (!button) throw new Error(`no show/hide button in the field labelled ${label}`);
  return button;
}

/** What a password field offers: its autocomplete, and a working show/hide button. */
export async function expectPasswordField(
  page: { field(label: string): HTMLInputElement; toggle(label: string): HTMLButtonElement; stable(): Promise<void> },
  label: string,
  autocomplete: 'current-password' | 'new-password',
): Promise<void> {
  const input = page.field(label);
  expect(input.autocomplete).toBe(autocomplete);
  expect(input.type).toBe('password');
  const toggle = page.toggle(label);
  expect(toggle.getAttribute('aria-label')).toBe('Show password');
  expect(toggle.getAttribute('aria-pressed')).toBe('false');
  toggle.click();
  await page.stable();
  expect(input.type).toBe('text');
  expect(toggle.getAttribute('aria-label')).toBe('Hide password');
  expect(toggle.getAttribute('aria-pressed')).toBe('true');
  toggle.click();
  await page.stable();
  expect(input.type).toBe('password');
}

function buttonByText(root: HTMLElement, text: string): HTMLButtonElement {
  const button = Array.from(root.querySelectorAll('button')).find((b) => b.textContent?.trim() === text);
  if (!button) throw new Error(`no button "${text}"`);
  return button;
}
