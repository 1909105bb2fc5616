export * from './lib/api-paths';
export * from './lib/cookie-names';
export * from './lib/auth-models';
export * from './lib/config-defaults';
export * from './lib/auth-requests';
export * from './lib/return-url';
