export * from './lib/auth-nest.module';

