import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
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
} as const;

@Component({
  selector: 'lk-login-page',
  imports: [ReactiveFormsModule, RouterLink, MatButton, MatFormField, MatLabel, MatError, MatInput, GoogleSignInLink],
  templateUrl: './login-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  private readonly auth = inject(AuthService);

  /** `?returnUrl=` (bound by the router): where to go after signing in. */
  readonly returnUrl = input<string>();
  /** `?error=` from the Google flow. */
  readonly error = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly googleError = computed(() => googleErrorMessage(this.error()));
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl(), SIGN_IN_RETURN_URL));
  private readonly submission = injectAuthFormSubmit(this.form, this.target, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly isGoogleOffered = this.submission.isGoogleOffered;
  /** Keeps a returnUrl across the switch to the registration page. */
  protected readonly registerParams = computed(() =>
    this.target() === ACCOUNT_PAGE ? {} : { returnUrl: this.target() },
  );

  protected submit(): void {
    const credentials = this.form.getRawValue();
    this.submission.submit(() => this.auth.login(credentials));
  }

  private showServerError(error: unknown): void {
    const isWrongCredentials = error instanceof HttpErrorResponse && error.status === 401;
    this.serverError.set(
      serverErrorMessage(error, isWrongCredentials ? LOGIN_MESSAGES.wrongCredentials : LOGIN_MESSAGES.failed),
    );
    if (isWrongCredentials) this.form.controls.password.reset();
  }
}
