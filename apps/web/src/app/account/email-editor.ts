import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, signal } from '@angular/core';
import { AbstractControl, NonNullableFormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { MatError, MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { ChangeEmailRequest, User } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { injectFormSubmit } from '../sign-in/form-submit';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { serverErrorMessage } from '../sign-in/server-error';
import { ACCOUNT_FORM_MESSAGES } from './account-messages';
import { injectDisclosure } from './disclosure';
import { PasswordVisibilityToggle } from '../sign-in/password-visibility-toggle';
import { googleSignInHref } from '../sign-in/google-sign-in';
import { ACCOUNT_PAGE } from '../sign-in/sign-in-return';
import { EditorActions, EditorToggle } from './editor-controls';

/** The address, whether it is verified, and a form to change it (a link to the new one confirms). */
@Component({
  selector: 'lk-email-editor',
  imports: [ReactiveFormsModule, EditorToggle, EditorActions, MatFormField, MatLabel, MatError, MatInput, MatSuffix, PasswordVisibilityToggle],
  template: `
    <div class="setting">
      <div class="setting-text">
        <h3 id="email-label">Email</h3>
        <p>
          <span data-testid="user-email">{{ user().email }}</span>
          @if (user().emailVerified) {
            <span class="badge verified" data-testid="email-status">Verified</span>
          } @else {
            <span class="badge unverified" data-testid="email-status">Not verified</span>
          }
        </p>
      </div>
      @if (!disclosure.isOpen()) {
        <lk-editor-toggle [disabled]="disabled()" (opened)="open()">Change email</lk-editor-toggle>
      }
    </div>
    @if (disclosure.isOpen()) {
      <form [formGroup]="form" (ngSubmit)="send()" novalidate aria-labelledby="email-label">
        <p class="intro">We'll send a link to the new address. Your address changes when you open it.</p>
        <mat-form-field appearance="outline">
          <mat-label>New email address</mat-label>
          <input matInput type="email" formControlName="newEmail" autocomplete="email" required />
          @if (form.controls.newEmail.hasError('taken')) {
            <mat-error>{{ form.controls.newEmail.getError('taken') }}</mat-error>
          } @else if (form.controls.newEmail.hasError('required')) {
            <mat-error>Enter the new address.</mat-error>
          } @else if (form.controls.newEmail.hasError('email')) {
            <mat-error>Enter an email address like name&#64;example.com.</mat-error>
          } @else if (form.controls.newEmail.hasError('same')) {
            <mat-error>{{ messages.sameEmail }}</mat-error>
          }
        </mat-form-field>
        @if (hasPassword()) {
          <mat-form-field appearance="outline">
            <mat-label>Your password</mat-label>
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
        <lk-editor-actions [pending]="isPending()" label="Send confirmation link" pendingLabel="Sending…" (cancelled)="disclosure.close()" />
      </form>
    }
    <div role="status">
      @if (notice(); as message) {
        <p class="notice" data-testid="email-change-sent">{{ message }}</p>
      }
    </div>
  `,
  styleUrl: './account-section.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmailEditor {
  private readonly auth = inject(AuthService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly user = input.required<User>();
  /** Offline: the button stays (focusable, pointing at the page's note) but opens nothing. */
  readonly disabled = input(false);

  protected readonly messages = ACCOUNT_FORM_MESSAGES;
  /** No password to give: the Google flow, straight back here (/login would send a signed-in user back). */
  protected readonly signInAgainHref = googleSignInHref(ACCOUNT_PAGE);
  /** Re-authentication (CONTRACT.md): the password when the account has one. */
  protected readonly hasPassword = computed(() => this.user().providers.includes('password'));
  protected readonly disclosure = injectDisclosure();
  protected readonly form = inject(NonNullableFormBuilder).group({
    newEmail: ['', [Validators.required, Validators.email, (c: AbstractControl) => this.notCurrent(c)]],
    password: ['', Validators.required],
  });
  private readonly submission = injectFormSubmit(this.form, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly notice = signal<string | null>(null);
  protected readonly needsSignIn = signal(false);

  protected open(): void {
    if (this.disabled()) return;
    this.form.reset();
    // A Google-only account has no password to give.
    if (this.hasPassword()) this.form.controls.password.enable();
    else this.form.controls.password.disable();
    this.serverError.set(null);
    this.needsSignIn.set(false);
    this.notice.set(null);
    this.disclosure.open();
  }

  protected send(): void {
    const { newEmail, password } = this.form.getRawValue();
    const request: ChangeEmailRequest = this.hasPassword() ? { newEmail, password } : { newEmail };
    this.needsSignIn.set(false);
    this.submission.submit(
      () => this.auth.changeEmail(request),
      () => {
        this.notice.set(ACCOUNT_FORM_MESSAGES.emailChangeSent(newEmail));
        this.disclosure.close();
      },
    );
  }

  private notCurrent(control: AbstractControl): ValidationErrors | null {
    const value = String(control.value ?? '').trim().toLowerCase();
    return value && value === this.user().email.toLowerCase() ? { same: true } : null;
  }

  private showServerError(error: unknown): void {
    const status = error instanceof HttpErrorResponse ? error.status : null;
    if (status === 409) {
      this.markField('newEmail', { taken: serverErrorMessage(error, ACCOUNT_FORM_MESSAGES.emailTaken) });
    } else if (status === 403 && this.hasPassword()) {
      this.markField('password', { wrong: true });
    } else if (status === 403) {
      this.needsSignIn.set(true);
    } else {
      this.serverError.set(serverErrorMessage(error, ACCOUNT_FORM_MESSAGES.emailChangeFailed));
    }
  }

  /** The server's refusal shown on the field itself; editing it clears the error. */
  private markField(name: 'newEmail' | 'password', errors: ValidationErrors): void {
    const control = this.form.controls[name];
    control.setErrors(errors);
    control.markAsTouched();
    focusFirstInvalidControl(this.form, this.host.nativeElement);
  }
}
