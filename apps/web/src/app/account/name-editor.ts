import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatError, MatFormField, MatHint, MatLabel } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { User } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { NAME_MAX_LENGTH } from '../sign-in/account-limits';
import { injectFormSubmit } from '../sign-in/form-submit';
import { serverErrorMessage } from '../sign-in/server-error';
import { ACCOUNT_FORM_MESSAGES } from './account-messages';
import { injectDisclosure } from './disclosure';
import { EditorActions, EditorToggle } from './editor-controls';

/** The user's name, and a form to change or clear it. */
@Component({
  selector: 'lk-name-editor',
  imports: [ReactiveFormsModule, EditorToggle, EditorActions, MatFormField, MatLabel, MatHint, MatError, MatInput],
  template: `
    <div class="setting">
      <div class="setting-text">
        <h3 id="name-label">Name</h3>
        <p data-testid="user-name">{{ user().name || 'Not set' }}</p>
      </div>
      @if (!disclosure.isOpen()) {
        <lk-editor-toggle [disabled]="disabled()" (opened)="open()">Edit name</lk-editor-toggle>
      }
    </div>
    @if (disclosure.isOpen()) {
      <form [formGroup]="form" (ngSubmit)="save()" novalidate aria-labelledby="name-label">
        <mat-form-field appearance="outline">
          <mat-label>Your name</mat-label>
          <input matInput type="text" formControlName="name" autocomplete="name" />
          <mat-hint>Leave empty to show your email address instead.</mat-hint>
          @if (form.controls.name.hasError('maxlength')) {
            <mat-error>Use at most {{ maxLength }} characters.</mat-error>
          }
        </mat-form-field>
        @if (serverError(); as message) {
          <p class="alert" role="alert">{{ message }}</p>
        }
        <lk-editor-actions [pending]="isPending()" label="Save name" pendingLabel="Saving…" (cancelled)="disclosure.close()" />
      </form>
    }
    <div role="status">
      @if (notice(); as message) {
        <p class="notice">{{ message }}</p>
      }
    </div>
  `,
  styleUrl: './account-section.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NameEditor {
  private readonly auth = inject(AuthService);

  readonly user = input.required<User>();
  /** Offline: the button stays (focusable, pointing at the page's note) but opens nothing. */
  readonly disabled = input(false);

  protected readonly maxLength = NAME_MAX_LENGTH;
  protected readonly disclosure = injectDisclosure();
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.maxLength(NAME_MAX_LENGTH)],
  });
  private readonly submission = injectFormSubmit(this.form, (error) =>
    this.serverError.set(serverErrorMessage(error, ACCOUNT_FORM_MESSAGES.nameFailed)),
  );
  protected readonly isPending = this.submission.isPending;
  protected readonly serverError = this.submission.serverError;
  protected readonly notice = signal<string | null>(null);

  protected open(): void {
    if (this.disabled()) return;
    this.form.reset({ name: this.user().name ?? '' });
    this.serverError.set(null);
    this.notice.set(null);
    this.disclosure.open();
  }

  protected save(): void {
    const name = this.form.getRawValue().name.trim();
    this.submission.submit(
      () => this.auth.updateProfile({ name: name || null }),
      () => {
        this.notice.set(ACCOUNT_FORM_MESSAGES.nameSaved);
        this.disclosure.close();
      },
    );
  }
}
