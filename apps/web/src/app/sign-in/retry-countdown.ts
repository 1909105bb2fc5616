import { DestroyRef, Signal, computed, inject, signal } from '@angular/core';

export interface RetryCountdown {
  /** Whole seconds left (rounded up); 0 when no wait is running. */
  readonly secondsLeft: Signal<number>;
  readonly isWaiting: Signal<boolean>;
  /** Starts (or restarts) a wait of that many seconds; 0 or less stops it. */
  start(seconds: number): void;
  stop(): void;
}

/**
 * A wait the server asked for (`Retry-After`), counted down for the page to show. It counts
 * towards a deadline, not in ticks, so a tab the browser throttled in the background is right
 * again as soon as it runs. Stops when its component is destroyed. Call in an injection context.
 */
export function injectRetryCountdown(): RetryCountdown {
  const secondsLeft = signal(0);
  let timer: ReturnType<typeof setTimeout> | null = null;

  const stop = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    secondsLeft.set(0);
  };
  inject(DestroyRef).onDestroy(stop);

  return {
    secondsLeft: secondsLeft.asReadonly(),
    isWaiting: computed(() => secondsLeft() > 0),
    start(seconds) {
      stop();
      const endsAt = Date.now() + seconds * 1000;
      const tick = () => {
        const msLeft = endsAt - Date.now();
        if (msLeft <= 0) return stop();
        secondsLeft.set(Math.ceil(msLeft / 1000));
        // Wake when the shown number changes: at the next whole second before the deadline.
        timer = setTimeout(tick, msLeft % 1000 || 1000);
      };
      tick();
    },
    stop,
  };
}

/** `900` → `15 minutes`, `61` → `2 minutes`, `40` → `40 seconds`: rounded up, never sooner than true. */
export function waitInWords(seconds: number): string {
  if (seconds < 60) return seconds <= 1 ? '1 second' : `${Math.ceil(seconds)} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
