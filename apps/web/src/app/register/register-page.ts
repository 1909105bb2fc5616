import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { Router, RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { RegisterRequest, safeReturnUrl } from '@latchkey/auth-contract';
import { AuthService, RegisterOutcome } from '@latchkey/auth-angular';
import { GoogleSignInLink } from '../sign-in/google-sign-in';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { ACCOUNT_PAGE, SIGN_IN_RETURN_URL } from '../sign-in/sign-in-return';
import { serverErrorMessage } from '../sign-in/server-error';
import { injectAuthFormSubmit } from '../sign-in/auth-form-submit';
import { NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../sign-in/account-limits';
import { PasswordVisibilityToggle } from '../sign-in/password-visibility-toggle';

/** Run by the router's loader before this page renders (app.routes.ts). */
export { probeInputTypes as warmUp } from '../sign-in/input-types-probe';

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
    MatSuffix,
    GoogleSignInLink,
    PasswordVisibilityToggle,
  ],
  templateUrl: './register-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RegisterPage {
  private readonly auth = inject(AuthService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly heading = viewChild<ElementRef<HTMLElement>>('heading');

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
  private readonly submission = injectAuthFormSubmit(this.form, (error) => this.showServerError(error), {
    waitForSessionCheck: true,
  });
  /** Set when the API wants the address verified before the first sign-in (`EMAIL_VERIFICATION=required`). */
  protected readonly awaitingVerification = signal<string | null>(null);
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly isGoogleOffered = this.submission.isGoogleOffered;
  protected readonly loginParams = computed(() =>
    this.target() === ACCOUNT_PAGE ? {} : { returnUrl: this.target() },
  );

  protected submit(): void {
    const { email, password, name } = this.form.getRawValue();
    const details: RegisterRequest = name.trim() ? { email, password, name: name.trim() } : { email, password };
    this.submission.submit(
      () => this.auth.register(details),
      (outcome) => this.registered(outcome),
    );
  }

  private registered(outcome: RegisterOutcome): void {
    if (!outcome.verificationRequired) {
      void this.router.navigateByUrl(this.target());
      return;
    }
    this.awaitingVerification.set(outcome.user.email);
    // The form is gone: the keyboard and screen reader start again at the new heading.
    afterNextRender(() => this.heading()?.nativeElement.focus(), { injector: this.injector });
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
