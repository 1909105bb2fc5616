import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { RegisterRequest, safeReturnUrl } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { GoogleSignInLink } from '../sign-in/google-sign-in';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { ACCOUNT_PAGE, SIGN_IN_RETURN_URL } from '../sign-in/sign-in-return';
import { serverErrorMessage } from '../sign-in/server-error';
import { injectAuthFormSubmit } from '../sign-in/auth-form-submit';

/** The API's limits (CONTRACT.md, `POST /auth/register`). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;

export const REGISTER_MESSAGES = {
  emailTaken: 'An account with this email already exists.',
  failed: 'We could not create your account. Please try again.',
} as const;

@Component({
  selector: 'lk-register-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButton,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    GoogleSignInLink,
  ],
  templateUrl: './register-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegisterPage {
  private readonly auth = inject(AuthService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly returnUrl = input<string>();

  protected readonly limits = { PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, NAME_MAX_LENGTH };
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: [
      '',
      [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)],
    ],
    name: ['', Validators.maxLength(NAME_MAX_LENGTH)],
  });
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl(), SIGN_IN_RETURN_URL));
  private readonly submission = injectAuthFormSubmit(this.form, this.target, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly isGoogleOffered = this.submission.isGoogleOffered;
  protected readonly loginParams = computed(() =>
    this.target() === ACCOUNT_PAGE ? {} : { returnUrl: this.target() },
  );

  protected submit(): void {
    const { email, password, name } = this.form.getRawValue();
    const details: RegisterRequest = name.trim() ? { email, password, name: name.trim() } : { email, password };
    this.submission.submit(() => this.auth.register(details));
  }

  private showServerError(error: unknown): void {
    if (error instanceof HttpErrorResponse && error.status === 409) {
      // Shown on the field itself; typing a new address clears it.
      const email = this.form.controls.email;
      email.setErrors({ taken: serverErrorMessage(error, REGISTER_MESSAGES.emailTaken) });
      email.markAsTouched();
      focusFirstInvalidControl(this.form, this.host.nativeElement);
      return;
    }
    this.serverError.set(serverErrorMessage(error, REGISTER_MESSAGES.failed));
  }
}
