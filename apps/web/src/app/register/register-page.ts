import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { Router, RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { finalize, switchMap } from 'rxjs';
import { RegisterRequest } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { GoogleSignInLink } from '../sign-in/google-sign-in';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { DEFAULT_RETURN_URL, safeReturnUrl } from '../sign-in/return-url';
import { serverErrorMessage } from '../sign-in/server-error';
import { injectSignInProviders } from '../sign-in/sign-in-providers';

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
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly providers = injectSignInProviders();
  private readonly destroyRef = inject(DestroyRef);

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
  protected readonly isPending = signal(false);
  protected readonly serverError = signal<string | null>(null);
  protected readonly isGoogleOffered = this.providers.isGoogleOffered;
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl()));
  protected readonly loginParams = computed(() =>
    this.target() === DEFAULT_RETURN_URL ? {} : { returnUrl: this.target() },
  );

  protected submit(): void {
    if (this.isPending()) return;
    this.serverError.set(null);
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidControl(this.form, this.host.nativeElement);
      return;
    }
    this.isPending.set(true);
    const { email, password, name } = this.form.getRawValue();
    const details: RegisterRequest = name.trim() ? { email, password, name: name.trim() } : { email, password };
    this.providers.ready$
      .pipe(
        switchMap(() => this.auth.register(details)),
        finalize(() => this.isPending.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => void this.router.navigateByUrl(this.target()),
        error: (error: unknown) => this.showServerError(error),
      });
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
