export { provideAuth } from './lib/provide-auth';
export type { AuthConfig, AuthFailEvent } from './lib/auth.config';
export { authInterceptor } from './lib/auth.interceptor';
export { authGuard } from './lib/auth.guard';
export { AuthService } from './lib/auth.service';
export { AuthStore } from './lib/auth.store';
export type { AuthStatus } from './lib/auth.store';
export { AUTH_MESSENGER, AUTH_MESSAGES } from './lib/auth-messenger';
export type { AuthMessenger } from './lib/auth-messenger';
