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
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { AuthService } from '@latchkey/auth-angular';
import { injectAuthFormSubmit } from '../sign-in/auth-form-submit';
import { serverErrorMessage } from '../sign-in/server-error';

/** Run by the router's loader before this page renders (app.routes.ts). */
export { probeInputTypes as warmUp } from '../sign-in/input-types-probe';

export const FORGOT_PASSWORD_MESSAGES = {
  sent: "If an account exists for that address, we've sent a link to choose a new password.",
  failed: 'We could not send the link. Please try again.',
} as const;

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
@Component({
  selector: 'lk-forgot-password-page',
  imports: [ReactiveFormsModule, RouterLink, MatButton, MatFormField, MatLabel, MatError, MatInput],
  templateUrl: './forgot-password-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForgotPasswordPage {
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly sentNotice = viewChild<ElementRef<HTMLElement>>('sentNotice');

  protected readonly messages = FORGOT_PASSWORD_MESSAGES;
  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
  });
  private readonly submission = injectAuthFormSubmit(this.form, (error) =>
    this.serverError.set(serverErrorMessage(error, FORGOT_PASSWORD_MESSAGES.failed)),
  );
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  /** The address the link was asked for; null until then. */
  protected readonly sentTo = signal<string | null>(null);

  protected submit(): void {
    const { email } = this.form.getRawValue();
    this.submission.submit(
      () => this.auth.forgotPassword(email),
      () => {
        this.sentTo.set(email);
        afterNextRender(() => this.sentNotice()?.nativeElement.focus(), { injector: this.injector });
      },
    );
  }

  /** Back to the form, for another address or a second try. */
  protected tryAgain(): void {
    this.sentTo.set(null);
    afterNextRender(() => this.host.nativeElement.querySelector('input')?.focus(), { injector: this.injector });
  }
}
