import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { Router, RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { safeReturnUrl } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { GoogleSignInLink, googleErrorMessage } from '../sign-in/google-sign-in';
import { ACCOUNT_PAGE, SIGN_IN_RETURN_URL } from '../sign-in/sign-in-return';
import { serverErrorMessage } from '../sign-in/server-error';
import { injectAuthFormSubmit } from '../sign-in/auth-form-submit';

export const LOGIN_MESSAGES = {
  wrongCredentials: 'Email or password is incorrect.',
  failed: 'Sign-in failed. Please try again.',
  unverified: (email: string) =>
    `Please verify your email address first. We've sent a new link to ${email}: open it, then sign in.`,
} as const;

/** `/login?notice=<code>`: what another page sends the user here to read. */
const LOGIN_NOTICES: Record<string, string> = {
  'password-reset': 'Your password has been changed. Sign in with your new password.',
};

@Component({
  selector: 'lk-login-page',
  imports: [ReactiveFormsModule, RouterLink, MatButton, MatFormField, MatLabel, MatError, MatInput, GoogleSignInLink],
  templateUrl: './login-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

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
  protected readonly noticeMessage = computed(() => {
    const code = this.notice();
    return code && Object.hasOwn(LOGIN_NOTICES, code) ? LOGIN_NOTICES[code] : null;
  });
  /** After a 429: the lockout message offers a password reset. */
  protected readonly isLockedOut = signal(false);
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl(), SIGN_IN_RETURN_URL));
  private readonly submission = injectAuthFormSubmit(this.form, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly isGoogleOffered = this.submission.isGoogleOffered;
  /** Keeps a returnUrl across the switch to the registration page. */
  protected readonly registerParams = computed(() =>
    this.target() === ACCOUNT_PAGE ? {} : { returnUrl: this.target() },
  );

  protected submit(): void {
    const credentials = this.form.getRawValue();
    this.isLockedOut.set(false);
    this.submission.submit(
      () => this.auth.login(credentials),
      () => void this.router.navigateByUrl(this.target()),
    );
  }

  private showServerError(error: unknown): void {
    const status = error instanceof HttpErrorResponse ? error.status : null;
    this.isLockedOut.set(status === 429);
    if (status === 403) {
      // Only after a right password (CONTRACT.md): the account's email is not verified yet.
      this.serverError.set(LOGIN_MESSAGES.unverified(this.form.controls.email.value));
      return;
    }
    const isWrongCredentials = status === 401;
    this.serverError.set(
      serverErrorMessage(error, isWrongCredentials ? LOGIN_MESSAGES.wrongCredentials : LOGIN_MESSAGES.failed),
    );
    if (isWrongCredentials) this.form.controls.password.reset();
  }
}
