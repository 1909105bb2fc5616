import { DOCUMENT, Injectable, Injector, afterNextRender, inject } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { filter, skip } from 'rxjs';

/**
 * After an in-app navigation, moves the keyboard and screen-reader focus to the new page's
 * heading, as a full page load would start at the top. The first load is left alone.
 */
@Injectable({ providedIn: 'root' })
export class PageFocus {
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);
  private isStarted = false;

  start(): void {
    if (this.isStarted) return;
    this.isStarted = true;
    this.router.events
      .pipe(
        filter((event) => event instanceof NavigationEnd),
        skip(1),
      )
      .subscribe(() => afterNextRender(() => this.focusHeading(), { injector: this.injector }));
  }

  private focusHeading(): void {
    const active = this.document.activeElement;
    // Something on the new page already took focus on purpose (a field, a dialog): leave it.
    if (active && active !== this.document.body && this.document.querySelector('main')?.contains(active)) return;
    const heading = this.document.querySelector<HTMLElement>('main h1') ?? this.document.querySelector('main');
    if (!heading) return;
    if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}
