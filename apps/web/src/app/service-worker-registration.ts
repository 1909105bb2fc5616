import { ApplicationRef, EnvironmentProviders, inject, provideAppInitializer } from '@angular/core';

/**
 * Registers Angular's service worker (`ngsw-worker.js`) once the app is stable,
 * or after `maxDelayMs` at the latest: what `provideServiceWorker(script,
 * { registrationStrategy: 'registerWhenStable:<ms>' })` does, without its
 * `SwUpdate`/`SwPush` code in the first load (the app uses neither; about
 * 2 KB gzip of the initial JavaScript). Add `provideServiceWorker()` back when
 * a page needs `SwUpdate`.
 */
export function provideServiceWorkerRegistration(
  script: string,
  { enabled, maxDelayMs }: { enabled: boolean; maxDelayMs: number },
): EnvironmentProviders {
  return provideAppInitializer(() => {
    if (!enabled || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
    const appRef = inject(ApplicationRef);
    const sw = navigator.serviceWorker;
    // As Angular's own registration does: a worker that takes over is told to set itself up now.
    const onControllerChange = () => sw.controller?.postMessage({ action: 'INITIALIZE' });
    sw.addEventListener('controllerchange', onControllerChange);
    appRef.onDestroy(() => sw.removeEventListener('controllerchange', onControllerChange));
    const maxDelay = new Promise<void>((resolve) => setTimeout(resolve, maxDelayMs));
    void Promise.race([appRef.whenStable(), maxDelay]).then(() => {
      if (appRef.destroyed) return;
      sw.register(script).catch((error: unknown) => console.error('Service worker registration failed:', error));
    });
  });
}
