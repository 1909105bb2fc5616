import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatFormField, MatLabel, MatSuffix } from '@angular/material/form-field';
import { MatInput } from '@angular/material/input';
import { PasswordVisibilityToggle } from './password-visibility-toggle';

@Component({
  selector: 'lk-test-host',
  imports: [ReactiveFormsModule, MatFormField, MatLabel, MatInput, MatSuffix, PasswordVisibilityToggle],
  template: `
    <mat-form-field>
      <mat-label>Password</mat-label>
      <input matInput #field type="password" [formControl]="password" autocomplete="current-password" />
      <lk-password-visibility-toggle matSuffix [input]="field" />
    </mat-form-field>
  `,
})
class Host {
  readonly password = new FormControl('correct horse', { nonNullable: true });
}

describe('PasswordVisibilityToggle', () => {
  async function render() {
    const fixture = TestBed.createComponent(Host);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const input = el.querySelector('input') as HTMLInputElement;
    const button = () => el.querySelector('lk-password-visibility-toggle button') as HTMLButtonElement;
    return { fixture, input, button, stable: () => fixture.whenStable() };
  }

  it('is a labelled, unpressed button of its own (never submits the form)', async () => {
    const { input, button } = await render();
    expect(button().type).toBe('button');
    expect(button().getAttribute('aria-label')).toBe('Show password');
    expect(button().getAttribute('aria-pressed')).toBe('false');
    expect(button().getAttribute('aria-controls')).toBe(input.id);
    expect(input.type).toBe('password');
  });

  it('shows the password as text, and hides it again; the value stays', async () => {
    const { fixture, input, button, stable } = await render();
    button().click();
    await stable();
    expect(input.type).toBe('text');
    expect(button().getAttribute('aria-label')).toBe('Hide password');
    expect(button().getAttribute('aria-pressed')).toBe('true');
    expect(input.value).toBe('correct horse');

    button().click();
    await stable();
    expect(input.type).toBe('password');
    expect(button().getAttribute('aria-label')).toBe('Show password');
    expect(button().getAttribute('aria-pressed')).toBe('false');
    expect(fixture.componentInstance.password.value).toBe('correct horse');
  });

  it('leaves the keyboard in the field when clicked with a mouse', async () => {
    const { input, button } = await render();
    input.focus();
    const mousedown = new MouseEvent('mousedown', { bubbles: true, cancelable: true });
    button().dispatchEvent(mousedown);
    expect(mousedown.defaultPrevented).toBe(true);
  });
});
