import { DOCUMENT, Injectable, inject, signal } from '@angular/core';

/** Whether the browser believes it is online, fed by window `online` / `offline` events. */
@Injectable({ providedIn: 'root' })
export class NetworkStatus {
  private readonly window = inject(DOCUMENT).defaultView;
  private readonly online = signal(this.window?.navigator.onLine ?? true);
  private readonly hasBeenOffline = signal(!this.online());

  readonly isOnline = this.online.asReadonly();
  /** True once the connection has dropped at least once: "back online" is worth saying then. */
  readonly wasOffline = this.hasBeenOffline.asReadonly();

  constructor() {
    // Root singleton: lives as long as the page, so the listeners are never removed.
    this.window?.addEventListener('online', () => this.online.set(true));
    this.window?.addEventListener('offline', () => {
      this.online.set(false);
      this.hasBeenOffline.set(true);
    });
  }
}
