import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { withFetch } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { provideAuth } from '@latchkey/auth-angular';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    // provideAuth() provides HttpClient itself (with the auth interceptor and the XSRF
    // cookie/header): no provideHttpClient() here; HttpClient features go in as extra arguments.
    provideAuth({ apiBaseUrl: '/svc', loginPath: '/login' }, withFetch()),
  ],
};
