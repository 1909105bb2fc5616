import { InjectionToken } from '@angular/core';

/** Shows a short message to the user; the app plugs in its own (a snack bar, a toast). */
export interface AuthMessenger {
  show(message: string): void;
}

export const AUTH_MESSAGES = {
  sessionEnded: 'Your session has ended. Please sign in again.',
  lostConnection: 'Lost connection. Please refresh or log in again.',
} as const;

/** Default: the console. Provide your own to show messages in the UI. */
export const AUTH_MESSENGER = new InjectionToken<AuthMessenger>('AUTH_MESSENGER', {
  providedIn: 'root',
  factory: () => ({ show: (message: string) => console.warn(message) }),
});
