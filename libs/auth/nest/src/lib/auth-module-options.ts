import type { ModuleMetadata } from '@nestjs/common';
import type { AuthConfig } from './config/auth-config';

export interface AuthModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => AuthConfig | Promise<AuthConfig>;
}
