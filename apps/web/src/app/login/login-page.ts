import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { Router, RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { finalize, switchMap } from 'rxjs';
import { AuthService } from '@latchkey/auth-angular';
import { GoogleSignInLink, googleErrorMessage } from '../sign-in/google-sign-in';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { DEFAULT_RETURN_URL, safeReturnUrl } from '../sign-in/return-url';
import { serverErrorMessage } from '../sign-in/server-error';
import { injectSignInProviders } from '../sign-in/sign-in-providers';

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
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly providers = injectSignInProviders();
  private readonly destroyRef = inject(DestroyRef);

  /** `?returnUrl=` (bound by the router): where to go after signing in. */
  readonly returnUrl = input<string>();
  /** `?error=` from the Google flow. */
  readonly error = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly isPending = signal(false);
  protected readonly serverError = signal<string | null>(null);
  protected readonly googleError = computed(() => googleErrorMessage(this.error()));
  protected readonly isGoogleOffered = this.providers.isGoogleOffered;
  protected readonly target = computed(() => safeReturnUrl(this.returnUrl()));
  /** Keeps a returnUrl across the switch to the registration page. */
  protected readonly registerParams = computed(() =>
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
    const credentials = this.form.getRawValue();
    this.providers.ready$
      .pipe(
        switchMap(() => this.auth.login(credentials)),
        finalize(() => this.isPending.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => void this.router.navigateByUrl(this.target()),
        error: (error: unknown) => this.showServerError(error),
      });
  }

  private showServerError(error: unknown): void {
    const isWrongCredentials = error instanceof HttpErrorResponse && error.status === 401;
    this.serverError.set(
      serverErrorMessage(error, isWrongCredentials ? LOGIN_MESSAGES.wrongCredentials : LOGIN_MESSAGES.failed),
    );
    if (isWrongCredentials) this.form.controls.password.reset();
  }
}
