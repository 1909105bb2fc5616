import { getSupportedInputTypes } from '@angular/cdk/platform';

/**
 * The first `matInput` of a page load asks the browser which input types it supports, by
 * giving a new `<input>` each of 22 types in turn (Chromium builds a date or colour picker for
 * some): a few milliseconds on a desktop, four times that on a phone, inside the page's first
 * render. The page modules with text fields export this as `warmUp`, which the router's loader
 * runs in a task of its own before the page is created (app.routes.ts); the answer is cached
 * for every later field.
 */
export function probeInputTypes(): void {
  getSupportedInputTypes();
}
