import { DOCUMENT, Injectable, inject, signal } from '@angular/core';

/** Whether the browser believes it is online, fed by window `online` / `offline` events. */
@Injectable({ providedIn: 'root' })
export class NetworkStatus {
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly online = signal(this.window?.navigator.onLine ?? true);

  readonly isOnline = this.online.asReadonly();

  constructor() {
    // Root singleton: lives as long as the page, so the listeners are never removed.
    this.window?.addEventListener('online', () => this.online.set(true));
    this.window?.addEventListener('offline', () => this.online.set(false));
  }
}
