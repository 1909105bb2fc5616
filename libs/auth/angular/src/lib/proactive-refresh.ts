import { DOCUMENT, DestroyRef, Injectable, effect, inject } from '@angular/core';
import { AUTH_CONFIG } from './auth.config';
import { AuthStore } from './auth.store';
import { RefreshCoordinator } from './refresh-coordinator';

/** setTimeout's ceiling (~24.8 days); longer delays would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The lead never exceeds this share of the time the token has left (short TTLs, tests). */
const MAX_LEAD_SHARE = 0.25;

/**
 * Refreshes shortly before the access token expires, so requests rarely meet a 401.
 * Waits while the page is hidden or offline; jitter spreads tabs and devices apart.
 */
@Injectable({ providedIn: 'root' })
export class ProactiveRefresh {
  private readonly store = inject(AuthStore);
  private readonly coordinator = inject(RefreshCoordinator);
  private readonly config = inject(AUTH_CONFIG);
  private readonly document = inject(DOCUMENT);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private isDue = false;

  constructor() {
    const window = this.document.defaultView;
    const onWake = () => this.runIfDue();
    window?.addEventListener('online', onWake);
    this.document.addEventListener('visibilitychange', onWake);
    inject(DestroyRef).onDestroy(() => {
      clearTimeout(this.timer);
      window?.removeEventListener('online', onWake);
      this.document.removeEventListener('visibilitychange', onWake);
    });
    effect(() => this.schedule(this.store.expiresAtMs()));
  }

  private schedule(expiresAt: number | null): void {
    clearTimeout(this.timer);
    this.isDue = false;
    if (expiresAt === null) return;
    const remaining = expiresAt - Date.now();
    // A lead longer than the token's life would refresh at once, forever: keep to a share of it.
    const lead = Math.min(this.config.proactiveRefreshLeadMs, Math.max(0, remaining) * MAX_LEAD_SHARE);
    const jitter = Math.random() * lead * 0.25;
    const delay = Math.min(Math.max(0, remaining - lead - jitter), MAX_TIMER_MS);
    this.timer = setTimeout(() => {
      this.isDue = true;
      this.runIfDue();
    }, delay);
  }

  private runIfDue(): void {
    const isOnline = this.document.defaultView?.navigator.onLine !== false;
    if (!this.isDue || this.document.hidden || !isOnline) return;
    this.isDue = false;
    this.coordinator.refreshInBackground().subscribe((outcome) => {
      // Success reschedules through the store; a transient failure waits for the next wake-up.
      if (outcome === 'offline' || outcome === 'failed') this.isDue = true;
    });
  }
}
