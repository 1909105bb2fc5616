import { ChangeDetectionStrategy, Component, Injector } from '@angular/core';
import { MatButton } from '@angular/material/button';
import { MatDialog, MatDialogActions, MatDialogClose, MatDialogContent, MatDialogTitle } from '@angular/material/dialog';
import { Observable, map } from 'rxjs';

/** "Sign out everywhere?": Cancel has the keyboard first, so Enter never ends every session by accident. */
@Component({
  selector: 'lk-sign-out-everywhere-dialog',
  imports: [MatButton, MatDialogTitle, MatDialogContent, MatDialogActions, MatDialogClose],
  template: `
    <h2 mat-dialog-title>Sign out everywhere?</h2>
    <mat-dialog-content>
      <p id="sign-out-everywhere-description">
        Every browser and device signed in to your account will be signed out, this one included. You'll need to sign
        in again on each of them.
      </p>
    </mat-dialog-content>
    <mat-dialog-actions align="end">
      <button mat-button type="button" data-dialog-cancel [mat-dialog-close]="false">Cancel</button>
      <button mat-flat-button type="button" [mat-dialog-close]="true">Sign out everywhere</button>
    </mat-dialog-actions>
  `,
  styles: `
    p {
      margin: 0;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SignOutEverywhereDialog {}

/**
 * Asks before every session ends; true once the user confirmed. Escape, a click outside and
 * Cancel all say no; focus goes back to what opened the dialog. This file is loaded on the
 * first click, so MatDialog is in neither the first load nor the account page's chunk.
 */
export function confirmSignOutEverywhere(injector: Injector): Observable<boolean> {
  return injector
    .get(MatDialog)
    .open<SignOutEverywhereDialog, void, boolean>(SignOutEverywhereDialog, {
      role: 'alertdialog',
      ariaDescribedBy: 'sign-out-everywhere-description',
      // The safe answer has the keyboard: Enter alone never ends every session.
      autoFocus: '[data-dialog-cancel]',
      // Narrow on a desktop, and never touching the edges of a phone.
      maxWidth: 'min(28rem, calc(100vw - 2rem))',
    })
    .afterClosed()
    .pipe(map((confirmed) => confirmed === true));
}
