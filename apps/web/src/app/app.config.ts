import {
  ApplicationConfig,
  isDevMode,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { withFetch } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { AUTH_MESSENGER, provideAuth } from '@latchkey/auth-angular';
import { appRoutes } from './app.routes';
import { provideServiceWorkerRegistration } from './service-worker-registration';
import { SnackBarAuthMessenger } from './snack-bar-auth-messenger';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(appRoutes, withComponentInputBinding()),
    // Provides HttpClient too (auth interceptor + XSRF); do not call provideHttpClient().
    provideAuth({ loginPath: '/login' }, withFetch()),
    { provide: AUTH_MESSENGER, useExisting: SnackBarAuthMessenger },
    provideServiceWorkerRegistration('ngsw-worker.js', { enabled: !isDevMode(), maxDelayMs: 30_000 }),
  ],
};
