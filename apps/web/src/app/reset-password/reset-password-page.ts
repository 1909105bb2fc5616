import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router, RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { MailLinkPaths } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { injectAuthFormSubmit } from '../sign-in/auth-form-submit';
import { serverErrorMessage } from '../sign-in/server-error';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../sign-in/account-limits';
import { MailLinkToken } from '../mail-link/mail-link-token';
import { PasswordVisibilityToggle } from '../sign-in/password-visibility-toggle';

/** Run by the router's loader before this page renders (app.routes.ts). */
export { probeInputTypes as warmUp } from '../sign-in/input-types-probe';

export const RESET_PASSWORD_MESSAGES = {
  badLink: 'This reset link has expired or was already used.',
  noLink: 'This page needs the link from your email.',
  failed: 'We could not change your password. Please try again.',
} as const;

/** Where the user signs in after the reset, told what happened. */
export const AFTER_RESET_URL = '/login?notice=password-reset';

/** The confirmation must repeat the new password. */
function matchesPassword(control: AbstractControl): ValidationErrors | null {
  const password = control.parent?.get('password')?.value;
  return control.value && control.value !== password ? { mismatch: true } : null;
}

/**
 * Chooses a new password with the token of a mailed link. `mailLinkTokenGuard` has already
 * taken the token off the address bar; this page gets it from memory.
 */
@Component({
  selector: 'lk-reset-password-page',
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
    PasswordVisibilityToggle,
  ],
  templateUrl: './reset-password-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ResetPasswordPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly token = inject(MailLinkToken).take(MailLinkPaths.resetPassword);
  private readonly badLinkNotice = viewChild<ElementRef<HTMLElement>>('badLinkNotice');

  protected readonly messages = RESET_PASSWORD_MESSAGES;
  protected readonly limits = { PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH };
  /** `form`, or why the link cannot be used. */
  protected readonly state = signal<'form' | 'no-link' | 'bad-link'>(this.token ? 'form' : 'no-link');
  protected readonly form = inject(NonNullableFormBuilder).group({
    password: [
      '',
      [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)],
    ],
    confirmation: ['', [Validators.required, matchesPassword]],
  });
  private readonly submission = injectAuthFormSubmit(this.form, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;

  constructor() {
    // Typing the first password again re-checks the confirmation.
    this.form.controls.password.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.form.controls.confirmation.updateValueAndValidity());
  }

  protected submit(): void {
    const token = this.token;
    if (!token) return;
    const { password } = this.form.getRawValue();
    this.submission.submit(
      () => this.auth.resetPassword({ token, password }),
      () => void this.router.navigateByUrl(AFTER_RESET_URL),
    );
  }

  private showServerError(error: unknown): void {
    // One message for an unknown, expired or used token (a string); a refused password is a validation list.
    const body = error instanceof HttpErrorResponse && error.status === 400 ? (error.error as { message?: unknown }) : null;
    if (body && !Array.isArray(body.message)) {
      this.state.set('bad-link');
      afterNextRender(() => this.badLinkNotice()?.nativeElement.focus(), { injector: this.injector });
      return;
    }
    this.serverError.set(serverErrorMessage(error, RESET_PASSWORD_MESSAGES.failed));
  }
}
