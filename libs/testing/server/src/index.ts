export * from './lib/built-server';
export * from './lib/test-database';
export * from './lib/workspace';
export * from './lib/test-smtp-server';
