import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';
import { MatIconButton } from '@angular/material/button';

/**
 * The eye button at the end of a password field: shows the password as text, and hides it
 * again. Put it in the field's suffix, pointing at the input:
 *
 * @example
 * <input matInput #password type="password" formControlName="password" autocomplete="current-password" />
 * <lk-password-visibility-toggle matSuffix [input]="password" />
 */
@Component({
  selector: 'lk-password-visibility-toggle',
  imports: [MatIconButton],
  template: `
    <button
      matIconButton
      type="button"
      [attr.aria-label]="isShown() ? 'Hide password' : 'Show password'"
      [attr.aria-pressed]="isShown()"
      [attr.aria-controls]="input().id || null"
      (mousedown)="$event.preventDefault()"
      (click)="toggle()"
    >
      <!-- Material Symbols "visibility" / "visibility_off", inline: no icon font to load. -->
      <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
        @if (isShown()) {
          <path
            d="M12 7c2.76 0 5 2.24 5 5 0 .65-.13 1.26-.36 1.83l2.92 2.92c1.51-1.26 2.7-2.89 3.43-4.75-1.73-4.39-6-7.5-11-7.5-1.4 0-2.74.25-3.98.7l2.16 2.16C10.74 7.13 11.35 7 12 7zM2 4.27l2.28 2.28.46.46A11.8 11.8 0 0 0 1 12c1.73 4.39 6 7.5 11 7.5 1.55 0 3.03-.3 4.38-.84l.42.42L19.73 22 21 20.73 3.27 3 2 4.27zM7.53 9.8l1.55 1.55c-.05.21-.08.43-.08.65 0 1.66 1.34 3 3 3 .22 0 .44-.03.65-.08l1.55 1.55c-.67.33-1.41.53-2.2.53-2.76 0-5-2.24-5-5 0-.79.2-1.53.53-2.2zm4.31-.78 3.15 3.15.02-.16c0-1.66-1.34-3-3-3l-.17.01z"
          />
        } @else {
          <path
            d="M12 4.5C7 4.5 2.73 7.61 1 12c1.73 4.39 6 7.5 11 7.5s9.27-3.11 11-7.5c-1.73-4.39-6-7.5-11-7.5zM12 17c-2.76 0-5-2.24-5-5s2.24-5 5-5 5 2.24 5 5-2.24 5-5 5zm0-8c-1.66 0-3 1.34-3 3s1.34 3 3 3 3-1.34 3-3-1.34-3-3-3z"
          />
        }
      </svg>
    </button>
  `,
  styles: `
    :host {
      display: inline-block;
    }
    svg {
      fill: currentColor;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PasswordVisibilityToggle {
  /** The password field this button shows and hides. */
  readonly input = input.required<HTMLInputElement>();

  protected readonly isShown = signal(false);

  protected toggle(): void {
    const isShown = !this.isShown();
    this.isShown.set(isShown);
    // Set on the element: MatInput reads `type` once, and the form control keeps its value either way.
    this.input().type = isShown ? 'text' : 'password';
  }
}
