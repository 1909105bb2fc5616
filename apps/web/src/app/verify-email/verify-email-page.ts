import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import { MatAnchor, MatButton } from '@angular/material/button';
import { switchMap } from 'rxjs';
import { MailLinkPaths, User } from '@latchkey/auth-contract';
import { AuthService, AuthStore } from '@latchkey/auth-angular';
import { serverErrorMessage } from '../sign-in/server-error';
import { MailLinkToken } from '../mail-link/mail-link-token';

export const VERIFY_EMAIL_MESSAGES = {
  badLink: 'This link has expired or was already used.',
  taken: 'Another account started using that address meanwhile, so yours was not changed.',
  noLink: 'This page needs the link from your email.',
  failed: 'We could not verify your address. Please try again.',
} as const;

type VerifyState = 'verifying' | 'verified' | 'bad-link' | 'taken' | 'no-link' | 'error';

/**
 * Uses a verification (or email-change) link as soon as it opens. `mailLinkTokenGuard` has
 * already taken the token off the address bar.
 */
@Component({
  selector: 'lk-verify-email-page',
  imports: [RouterLink, MatAnchor, MatButton],
  templateUrl: './verify-email-page.html',
  styleUrl: '../sign-in/auth-form.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class VerifyEmailPage {
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly token = inject(MailLinkToken).take(MailLinkPaths.verifyEmail);
  private readonly outcome = viewChild<ElementRef<HTMLElement>>('outcome');

  protected readonly messages = VERIFY_EMAIL_MESSAGES;
  protected readonly store = inject(AuthStore);
  protected readonly state = signal<VerifyState>(this.token ? 'verifying' : 'no-link');
  protected readonly user = signal<User | null>(null);
  protected readonly errorMessage = signal<string | null>(null);

  constructor() {
    this.verify();
  }

  protected verify(): void {
    const token = this.token;
    if (!token) return;
    this.state.set('verifying');
    // First learn who is signed in here (and get the XSRF cookie the POST needs), so the
    // verified address shows in every tab of that user at once.
    this.auth
      .restoreSession()
      .pipe(
        switchMap(() => this.auth.verifyEmail(token)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (user) => {
          this.user.set(user);
          this.settle('verified');
        },
        error: (error: unknown) => this.showError(error),
      });
  }

  private showError(error: unknown): void {
    const status = error instanceof HttpErrorResponse ? error.status : null;
    if (status === 400) return this.settle('bad-link');
    if (status === 409) return this.settle('taken');
    this.errorMessage.set(serverErrorMessage(error, VERIFY_EMAIL_MESSAGES.failed));
    this.settle('error');
  }

  /** The outcome replaces the "verifying" line: the keyboard and screen reader go to it. */
  private settle(state: VerifyState): void {
    this.state.set(state);
    afterNextRender(() => this.outcome()?.nativeElement.focus(), { injector: this.injector });
  }
}
