import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { READ_ONLY_NOTE_ID } from './account-messages';

/**
 * The button that opens one of the account's editors. Offline (`disabled`) it stays
 * focusable and points at the page's read-only note. Marked `data-disclosure-toggle`:
 * closing the editor puts the focus back on it (see disclosure.ts).
 */
@Component({
  selector: 'lk-editor-toggle',
  imports: [MatButton],
  template: `
    <button
      mat-stroked-button
      type="button"
      data-disclosure-toggle
      [disabled]="disabled()"
      disabledInteractive
      [attr.aria-describedby]="disabled() ? readOnlyNoteId : null"
      (click)="opened.emit()"
    >
      <ng-content />
    </button>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditorToggle {
  readonly disabled = input(false);
  readonly opened = output<void>();
  protected readonly readOnlyNoteId = READ_ONLY_NOTE_ID;
}

/** An open editor's submit (with its label while the request runs) and Cancel. Inside the editor's form. */
@Component({
  selector: 'lk-editor-actions',
  imports: [MatButton],
  template: `
    <button mat-flat-button type="submit" [disabled]="pending()" disabledInteractive>
      {{ pending() ? pendingLabel() : label() }}
    </button>
    <button mat-button type="button" (click)="cancelled.emit()">Cancel</button>
  `,
  styles: `
    :host {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      margin-top: 0.5rem;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EditorActions {
  readonly pending = input(false);
  readonly label = input.required<string>();
  readonly pendingLabel = input.required<string>();
  readonly cancelled = output<void>();
}
