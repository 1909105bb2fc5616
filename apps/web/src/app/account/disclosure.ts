import { ElementRef, Injector, afterNextRender, inject, signal } from '@angular/core';

/**
 * A form the user opens with a button, in place. Opening puts the keyboard on the form's first
 * field (or what `open()` is told); closing (cancel or done) puts it back on the button marked `data-disclosure-toggle`,
 * so focus is never lost to the page's top. Call in an injection context.
 */
export function injectDisclosure() {
  const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  const injector = inject(Injector);
  const isOpen = signal(false);
  const focusAfterRender = (selector: string) =>
    afterNextRender(() => host.querySelector<HTMLElement>(selector)?.focus(), { injector });
  return {
    isOpen: isOpen.asReadonly(),
    /** `focus`: what takes the keyboard once open; default the form's first Material input. */
    open(focus = 'form .mat-mdc-input-element'): void {
      isOpen.set(true);
      focusAfterRender(focus);
    },
    close(): void {
      isOpen.set(false);
      focusAfterRender('[data-disclosure-toggle]');
    },
  };
}
