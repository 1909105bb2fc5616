import { FormGroup } from '@angular/forms';

/**
 * After a refused submit, puts the keyboard on the first field that needs fixing. Reads the
 * form model, not the `ng-invalid` classes, which are only updated by the next render.
 */
export function focusFirstInvalidControl(form: FormGroup, host: HTMLElement): void {
  const name = Object.keys(form.controls).find((key) => form.controls[key].invalid);
  if (name) host.querySelector<HTMLElement>(`[formcontrolname="${name}"]`)?.focus();
}
