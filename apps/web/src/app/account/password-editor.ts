import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, output, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { HttpErrorResponse } from '@angular/common/http';
import { RouterLink } from '@angular/router';
import { MatError, MatFormField, MatHint, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { User } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../sign-in/account-limits';
import { focusFirstInvalidControl } from '../sign-in/focus-first-invalid';
import { injectFormSubmit } from '../sign-in/form-submit';
import { serverErrorMessage } from '../sign-in/server-error';
import { ACCOUNT_FORM_MESSAGES } from './account-messages';
import { injectDisclosure } from './disclosure';
import { PasswordVisibilityToggle } from '../sign-in/password-visibility-toggle';
import { EditorActions, EditorToggle } from './editor-controls';

/** Changes the password (current + new). An account without one is pointed at a reset link. */
@Component({
  selector: 'lk-password-editor',
  imports: [
    EditorToggle,
    EditorActions,
    ReactiveFormsModule,
    RouterLink,
    MatFormField,
    MatLabel,
    MatHint,
    MatError,
    MatInput,
    MatSuffix,
    PasswordVisibilityToggle,
  ],
  template: `
    <div class="setting">
      <div class="setting-text">
        <h3 id="password-label">Password</h3>
        @if (hasPassword()) {
          <p>Set</p>
        } @else {
          <p data-testid="no-password">
            Not set: you sign in with Google. To add one, <a routerLink="/forgot-password">request a reset link</a>.
          </p>
        }
      </div>
      @if (hasPassword() && !disclosure.isOpen()) {
        <lk-editor-toggle [disabled]="disabled()" (opened)="open()">Change password</lk-editor-toggle>
      }
    </div>
    @if (disclosure.isOpen()) {
      <form [formGroup]="form" (ngSubmit)="change()" novalidate aria-labelledby="password-label">
        <p class="intro">Your other sessions will be signed out; this one stays.</p>
        <!-- For password managers: whose password this is. -->
        <input class="visually-hidden" type="email" [value]="user().email" autocomplete="username" tabindex="-1" aria-hidden="true" readonly />
        <mat-form-field appearance="outline">
          <mat-label>Current password</mat-label>
          <input matInput #currentPasswordInput type="password" formControlName="currentPassword" autocomplete="current-password" required />
          <lk-password-visibility-toggle matSuffix [input]="currentPasswordInput" />
          @if (form.controls.currentPassword.hasError('wrong')) {
            <mat-error>{{ messages.wrongCurrentPassword }}</mat-error>
          } @else {
            <mat-error>Enter your current password.</mat-error>
          }
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>New password</mat-label>
          <input matInput #newPasswordInput type="password" formControlName="newPassword" autocomplete="new-password" required />
          <lk-password-visibility-toggle matSuffix [input]="newPasswordInput" />
          <mat-hint>{{ limits.min }} to {{ limits.max }} characters</mat-hint>
          @if (form.controls.newPassword.hasError('required')) {
            <mat-error>Choose a new password.</mat-error>
          } @else if (form.controls.newPassword.hasError('minlength')) {
            <mat-error>Use at least {{ limits.min }} characters.</mat-error>
          } @else if (form.controls.newPassword.hasError('maxlength')) {
            <mat-error>Use at most {{ limits.max }} characters.</mat-error>
          }
        </mat-form-field>
        @if (serverError(); as message) {
          <p class="alert" role="alert">{{ message }}</p>
        }
        <lk-editor-actions [pending]="isPending()" label="Change password" pendingLabel="Changing…" (cancelled)="disclosure.close()" />
      </form>
    }
    <div role="status">
      @if (notice(); as message) {
        <p class="notice" data-testid="password-changed">{{ message }}</p>
      }
    </div>
  `,
  styleUrl: './account-section.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordEditor {
  private readonly auth = inject(AuthService);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  readonly user = input.required<User>();
  /** Offline: the button stays (focusable, pointing at the page's note) but opens nothing. */
  readonly disabled = input(false);
  /** The password changed: the user's other sessions are gone. */
  readonly changed = output<void>();

  protected readonly messages = ACCOUNT_FORM_MESSAGES;
  protected readonly limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH };
  protected readonly hasPassword = computed(() => this.user().providers.includes('password'));
  protected readonly disclosure = injectDisclosure();
  protected readonly form = inject(NonNullableFormBuilder).group({
    currentPassword: ['', Validators.required],
    newPassword: [
      '',
      [Validators.required, Validators.minLength(PASSWORD_MIN_LENGTH), Validators.maxLength(PASSWORD_MAX_LENGTH)],
    ],
  });
  private readonly submission = injectFormSubmit(this.form, (error) => this.showServerError(error));
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly notice = signal<string | null>(null);

  protected open(): void {
    if (this.disabled()) return;
    this.form.reset();
    this.serverError.set(null);
    this.notice.set(null);
    this.disclosure.open();
  }

  protected change(): void {
    const request = this.form.getRawValue();
    this.submission.submit(
      () => this.auth.changePassword(request),
      () => {
        this.notice.set(ACCOUNT_FORM_MESSAGES.passwordChanged);
        this.disclosure.close();
        this.changed.emit();
      },
    );
  }

  private showServerError(error: unknown): void {
    if (error instanceof HttpErrorResponse && error.status === 403) {
      const current = this.form.controls.currentPassword;
      current.setErrors({ wrong: true });
      current.markAsTouched();
      focusFirstInvalidControl(this.form, this.host.nativeElement);
      return;
    }
    this.serverError.set(serverErrorMessage(error, ACCOUNT_FORM_MESSAGES.passwordFailed));
  }
}
