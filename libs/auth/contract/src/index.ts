export * from './lib/auth-contract';
