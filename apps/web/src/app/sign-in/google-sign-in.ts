import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { MatAnchor } from '@angular/material/button';
import { AuthPaths, GoogleErrorCode, apiPath } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';

/** What went wrong in the Google flow (`/login?error=<code>`), in the user's words. */
const GOOGLE_ERROR_MESSAGES: Record<GoogleErrorCode, string> = {
  invalid_state: 'Google sign-in took too long or was started in another window. Please try again.',
  access_denied: 'Google sign-in was cancelled. You can try again or use your password.',
  provider_error: 'Google could not complete the sign-in. Please try again in a moment.',
  email_not_verified: 'Your Google account’s email address is not verified. Verify it with Google, or sign in with a password.',
  provider_unavailable: 'Google sign-in is not available right now. Please use your email and password.',
};

export function googleErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return Object.hasOwn(GOOGLE_ERROR_MESSAGES, code)
    ? GOOGLE_ERROR_MESSAGES[code as GoogleErrorCode]
    : 'Google sign-in did not work. Please try again.';
}

/** The start of the Google flow: a plain link (a full-page navigation to the API). */
export function googleSignInHref(returnUrl: string): string {
  return `${apiPath(AuthPaths.google)}?returnUrl=${encodeURIComponent(returnUrl)}`;
}

@Component({
  selector: 'lk-google-sign-in-link',
  imports: [MatAnchor],
  // The app comes back signed in from a page it cannot see: tell the auth library first.
  template: `<a mat-stroked-button class="google" [href]="href()" (click)="auth.expectRedirectSignIn()">{{ label() }}</a>`,
  styles: `
    .google {
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GoogleSignInLink {
  /** Already made safe by the page. */
  readonly returnUrl = input.required<string>();
  readonly label = input('Sign in with Google');
  protected readonly href = computed(() => googleSignInHref(this.returnUrl()));
  protected readonly auth = inject(AuthService);
}
