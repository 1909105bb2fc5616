import { ChangeDetectionStrategy, Component, computed, inject, input, signal, viewChild } from '@angular/core';
import { FormGroupDirective, NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { Router, RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { safeReturnUrl } from '@latchkey/auth-contract';
import { AuthService, AuthStore, SignOutReason } from '@latchkey/auth-angular';
import { GoogleSignInLink, googleErrorMessage } from '../sign-in/google-sign-in';
import { ACCOUNT_PAGE, SIGN_IN_RETURN_URL } from '../sign-in/sign-in-return';
import { retryAfterSeconds, serverErrorMessage } from '../sign-in/server-error';
import { injectRetryCountdown, waitInWords } from '../sign-in/retry-countdown';
import { PasswordVisibilityToggle } from '../sign-in/password-visibility-toggle';
import { injectAuthFormSubmit } from '../sign-in/auth-form-submit';

/** Run by the router's loader before this page renders (app.routes.ts). */
export { probeInputTypes as warmUp } from '../sign-in/input-types-probe';

export const LOGIN_MESSAGES = {
  wrongCredentials: 'Email or password is incorrect.',
  failed: 'Sign-in failed. Please try again.',
  unverified: (email: string) =>
    `Please verify your email address first. We've sent a new link to ${email}: open it, then sign in.`,
} as const;

/** Why the auth library signed this tab out (`AuthStore.signOutReason`), in the user's words. */
const SIGNED_OUT_REASONS: Partial<Record<SignOutReason, string>> = {
  'other-tab': 'You signed out in another tab.',
  'session-ended': 'You were signed out on this device. Please sign in again.',
};

/** `/login?notice=<code>`: what another page sends the user here to read. */
const LOGIN_NOTICES: Record<string, string> = {
  'password-reset': 'Your password has been changed. Sign in with your new password.',
};

@Component({
  selector: 'lk-login-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatError,
    MatInput,
    MatSuffix,
    GoogleSignInLink,
    PasswordVisibilityToggle,
  ],
  templateUrl: './login-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly formDirective = viewChild.required(FormGroupDirective);

  /** `?returnUrl=` (bound by the router): where to go after signing in. */
  readonly returnUrl = input<string>();
  /** `?error=` from the Google flow. */
  readonly error = input<string>();
  /** `?notice=` from another page (after a password reset). */
  readonly notice = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly googleError = computed(() => googleErrorMessage(this.error()));
  private readonly store = inject(AuthStore);
  protected readonly signedOutReason = computed(() => {
    const reason = this.store.signOutReason();
    return reason ? (SIGNED_OUT_REASONS[reason] ?? null) : null;
  });
  protected readonly noticeMessage = computed(() => {
    const code = this.notice();
    return code && Object.hasOwn(LOGIN_NOTICES, code) ? LOGIN_NOTICES[code] : null;
  });
  /** After a 429 without `Retry-After`: the message offers a password reset. */
  protected readonly isLockedOut = signal(false);
  /** After a 429 with `Retry-After`: the wait, counted down; the button is off meanwhile. */
  protected readonly lockout = injectRetryCountdown();
  protected readonly lockoutWait = computed(() => waitInWords(this.lockout.secondsLeft()));
  /** A wait has run out since the last submit: the page says the user can try again. */
  protected readonly hasWaited = signal(false);
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl(), SIGN_IN_RETURN_URL));
  private readonly submission = injectAuthFormSubmit(this.form, (error) => this.showServerError(error), {
    waitForSessionCheck: true,
  });
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly isGoogleOffered = this.submission.isGoogleOffered;
  /** Keeps a returnUrl across the switch to the registration page. */
  protected readonly registerParams = computed(() =>
    this.target() === ACCOUNT_PAGE ? {} : { returnUrl: this.target() },
  );

  protected submit(): void {
    if (this.lockout.isWaiting()) return;
    const credentials = this.form.getRawValue();
    this.isLockedOut.set(false);
    this.hasWaited.set(false);
    this.submission.submit(
      () => this.auth.login(credentials),
      () => void this.router.navigateByUrl(this.target()),
    );
  }

  private showServerError(error: unknown): void {
    const status = error instanceof HttpErrorResponse ? error.status : null;
    if (status === 403) {
      // Only after a right password (CONTRACT.md): the account's email is not verified yet.
      this.serverError.set(LOGIN_MESSAGES.unverified(this.form.controls.email.value));
      return;
    }
    const wait = error instanceof HttpErrorResponse && status === 429 ? retryAfterSeconds(error) : null;
    if (wait) {
      this.lockout.start(wait);
      this.hasWaited.set(true);
      return;
    }
    this.isLockedOut.set(status === 429);
    const isWrongCredentials = status === 401;
    this.serverError.set(
      serverErrorMessage(error, isWrongCredentials ? LOGIN_MESSAGES.wrongCredentials : LOGIN_MESSAGES.failed),
    );
    if (isWrongCredentials) this.clearPassword();
  }

  /**
   * Empties the password for the next try, keeping the email. Resetting the form directive, not
   * just the control, also forgets the submit: Material would show "Enter your password." beside
   * the server's message until the user has been in the field again.
   */
  private clearPassword(): void {
    this.formDirective().resetForm({ ...this.form.getRawValue(), password: '' });
  }
}
