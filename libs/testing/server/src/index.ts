export * from './lib/built-server';
export * from './lib/test-database';
export * from './lib/workspace';
