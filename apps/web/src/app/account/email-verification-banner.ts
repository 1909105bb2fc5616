import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButton } from '@angular/material/button';
import { finalize } from 'rxjs';
import { AuthService } from '@latchkey/auth-angular';
import { serverErrorMessage } from '../sign-in/server-error';
import { ACCOUNT_FORM_MESSAGES, READ_ONLY_NOTE_ID } from './account-messages';

/** Shown while the address is unverified: a reminder and a way to get the link again. */
@Component({
  selector: 'lk-email-verification-banner',
  imports: [MatButton],
  template: `
    <section class="banner" aria-labelledby="verify-banner-title" data-testid="verify-banner">
      <div class="text">
        <h2 id="verify-banner-title">Verify your email address</h2>
        <p>We sent a link to <strong>{{ email() }}</strong>. Open it to confirm the address is yours.</p>
      </div>
      <button
        mat-stroked-button
        type="button"
        [disabled]="isSending() || disabled()"
        disabledInteractive
        [attr.aria-describedby]="disabled() ? readOnlyNoteId : null"
        (click)="resend()"
      >
        {{ isSending() ? 'Sending…' : 'Resend' }}
      </button>
      <div class="outcome" role="status">
        @if (sent()) {
          <p>{{ sentMessage() }}</p>
        }
      </div>
      @if (error(); as message) {
        <p class="outcome error" role="alert">{{ message }}</p>
      }
    </section>
  `,
  styles: `
    .banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5rem 1rem;
      margin: 0 0 1.5rem;
      padding: 0.75rem 1rem;
      border-left: 4px solid #7c5800;
      border-radius: 4px;
      background: #fff3cd;
      color: #261900;
    }
    .text {
      flex: 1 1 16rem;
    }
    h2 {
      margin: 0;
      font-size: 1rem;
    }
    p {
      margin: 0.25rem 0 0;
      overflow-wrap: anywhere;
    }
    .outcome {
      flex-basis: 100%;
    }
    .outcome:empty {
      display: none;
    }
    .error {
      color: #93000a;
      font-weight: 500;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmailVerificationBanner {
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);

  readonly email = input.required<string>();
  /** Offline: the button stays (focusable, pointing at the page's note) but sends nothing. */
  readonly disabled = input(false);
  protected readonly readOnlyNoteId = READ_ONLY_NOTE_ID;

  protected readonly isSending = signal(false);
  protected readonly sent = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly sentMessage = () => ACCOUNT_FORM_MESSAGES.verificationSent(this.email());

  protected resend(): void {
    if (this.isSending() || this.disabled()) return;
    this.isSending.set(true);
    this.sent.set(false);
    this.error.set(null);
    this.auth
      .requestEmailVerification()
      .pipe(
        finalize(() => this.isSending.set(false)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: () => this.sent.set(true),
        error: (error: unknown) => this.error.set(serverErrorMessage(error, ACCOUNT_FORM_MESSAGES.verificationFailed)),
      });
  }
}
