import {
  ApplicationConfig,
  isDevMode,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { withFetch } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideServiceWorker } from '@angular/service-worker';
import { AUTH_MESSENGER, provideAuth } from '@latchkey/auth-angular';
import { appRoutes } from './app.routes';
import { SnackBarAuthMessenger } from './snack-bar-auth-messenger';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideRouter(appRoutes, withComponentInputBinding()),
    // Provides HttpClient too (auth interceptor + XSRF); do not call provideHttpClient().
    provideAuth({ loginPath: '/login' }, withFetch()),
    { provide: AUTH_MESSENGER, useExisting: SnackBarAuthMessenger },
    provideServiceWorker('ngsw-worker.js', {
      enabled: !isDevMode(),
      registrationStrategy: 'registerWhenStable:30000',
    }),
  ],
};
