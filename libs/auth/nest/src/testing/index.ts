export * from './test-database';
export type { Environment } from '../lib/config/env-reader';
