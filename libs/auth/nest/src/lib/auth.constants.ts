/** Injection token of the typed {@link AuthConfig}. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');
