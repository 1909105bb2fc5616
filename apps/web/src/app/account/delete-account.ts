import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { Router } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { MatError, MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { DeleteAccountRequest, User } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { SnackBarAuthMessenger } from '../snack-bar-auth-messenger';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { injectFormSubmit } from '../sign-in/form-submit';
import { serverErrorMessage } from '../sign-in/server-error';
import { ACCOUNT_FORM_MESSAGES, READ_ONLY_NOTE_ID } from './account-messages';
import { injectDisclosure } from './disclosure';
import { PasswordVisibilityToggle } from '../sign-in/password-visibility-toggle';
import { googleSignInHref } from '../sign-in/google-sign-in';
import { ACCOUNT_PAGE } from '../sign-in/sign-in-return';

/** Deletes the account, after a confirmation step that names it (and the password, when it has one). */
@Component({
  selector: 'lk-delete-account',
  imports: [ReactiveFormsModule, MatButton, MatFormField, MatLabel, MatError, MatInput, MatSuffix, PasswordVisibilityToggle],
  template: `
    <section aria-labelledby="delete-title">
      <h2 id="delete-title">Delete account</h2>
      <p class="intro">Removes your account, its sign-in methods and every session. This cannot be undone.</p>
      @if (!disclosure.isOpen()) {
        <button
          mat-stroked-button
          class="danger"
          type="button"
          data-disclosure-toggle
          [disabled]="disabled()"
          disabledInteractive
          [attr.aria-describedby]="disabled() ? readOnlyNoteId : null"
          (click)="open()"
        >
          Delete account…
        </button>
      } @else {
        <form class="confirm" [formGroup]="form" (ngSubmit)="confirm()" novalidate aria-labelledby="delete-confirm-title">
          <h3 id="delete-confirm-title" tabindex="-1">Delete {{ user().email }}?</h3>
          <p>
            Your account <strong>{{ user().email }}</strong> and everything in it will be deleted, and every device
            signed out. You cannot get it back.
          </p>
          @if (hasPassword()) {
            <input class="visually-hidden" type="email" [value]="user().email" autocomplete="username" tabindex="-1" aria-hidden="true" readonly />
            <mat-form-field appearance="outline">
              <mat-label>Password</mat-label>
              <input matInput #passwordInput type="password" formControlName="password" autocomplete="current-password" required />
              <lk-password-visibility-toggle matSuffix [input]="passwordInput" />
              @if (form.controls.password.hasError('wrong')) {
                <mat-error>{{ messages.wrongPassword }}</mat-error>
              } @else {
                <mat-error>Enter your password to confirm it's you.</mat-error>
              }
            </mat-form-field>
          }
          @if (needsSignIn()) {
            <p class="alert" role="alert" data-testid="sign-in-again">
              {{ messages.signInAgain }} <a [href]="signInAgainHref">Sign in again</a>
            </p>
          } @else if (serverError(); as message) {
            <p class="alert" role="alert">{{ message }}</p>
          }
          <div class="buttons">
            <button mat-flat-button class="danger-filled" type="submit" [disabled]="isPending()" disabledInteractive>
              {{ isPending() ? 'Deleting…' : 'Delete my account' }}
            </button>
            <button mat-button type="button" (click)="disclosure.close()">Cancel</button>
          </div>
        </form>
      }
    </section>
  `,
  styleUrl: './account-section.css',
  styles: `
    .danger {
      --mat-button-outlined-label-text-color: #93000a;
      --mat-button-outlined-outline-color: #93000a;
    }
    .danger-filled {
      --mat-button-filled-container-color: #ba1a1a;
      --mat-button-filled-label-text-color: #fff;
    }
    .confirm {
      max-width: 32rem;
      padding: 1rem;
      border: 1px solid #ba1a1a;
      border-radius: 8px;
      background: #fffbff;
    }
    .confirm h3 {
      margin: 0 0 0.5rem;
      font-size: 1.0625rem;
      overflow-wrap: anywhere;
    }
    .confirm h3:focus {
      outline: none;
    }
    .confirm p {
      margin: 0 0 0.75rem;
      overflow-wrap: anywhere;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DeleteAccount {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly messenger = inject(SnackBarAuthMessenger);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly user = input.required<User>();
  /** Offline: the button stays (focusable, pointing at the page's note) but opens nothing. */
  readonly disabled = input(false);
  protected readonly readOnlyNoteId = READ_ONLY_NOTE_ID;

  protected readonly messages = ACCOUNT_FORM_MESSAGES;
  /** No password to give: the Google flow, straight back here (/login would send a signed-in user back). */
  protected readonly signInAgainHref = googleSignInHref(ACCOUNT_PAGE);
  protected readonly hasPassword = computed(() => this.user().providers.includes('password'));
  protected readonly disclosure = injectDisclosure();
  protected readonly form = inject(NonNullableFormBuilder).group({ password: ['', Validators.required] });
  private readonly submission = injectFormSubmit(this.form, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly needsSignIn = signal(false);

  protected open(): void {
    if (this.disabled()) return;
    this.form.reset();
    if (this.hasPassword()) this.form.controls.password.enable();
    else this.form.controls.password.disable();
    this.serverError.set(null);
    this.needsSignIn.set(false);
    // The question first, not the password: the screen reader reads what is about to go.
    this.disclosure.open('#delete-confirm-title');
  }

  protected confirm(): void {
    const request: DeleteAccountRequest = this.hasPassword() ? { password: this.form.getRawValue().password } : {};
    this.needsSignIn.set(false);
    this.submission.submit(
      () => this.auth.deleteAccount(request),
      () => {
        void this.messenger.show(ACCOUNT_FORM_MESSAGES.accountDeleted);
        void this.router.navigateByUrl('/');
      },
    );
  }

  private showServerError(error: unknown): void {
    if (error instanceof HttpErrorResponse && error.status === 403) {
      if (!this.hasPassword()) {
        this.needsSignIn.set(true);
        return;
      }
      const password = this.form.controls.password;
      password.setErrors({ wrong: true });
      password.markAsTouched();
      focusFirstInvalidControl(this.form, this.host.nativeElement);
      return;
    }
    this.serverError.set(serverErrorMessage(error, ACCOUNT_FORM_MESSAGES.deleteFailed));
  }
}
