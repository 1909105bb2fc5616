import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { AUTH_API_PREFIX } from '../auth.constants';

/** Every route of the module sits under `<prefix>/auth` (contract, "Endpoints"). */
export const AUTH_SEGMENT = 'auth';

/**
 * Where the host mounts Latchkey's routes: the explicit `apiPrefix` option,
 * else Nest's global prefix (`app.setGlobalPrefix`). The refresh, device and
 * Google state cookie paths and the CSRF scope follow it. Read on first use,
 * once the app is set up: hosts set the global prefix after creating the app.
 */
@Injectable()
export class AuthRoutes {
  private root: string | undefined;

  constructor(
    private readonly application: ApplicationConfig,
    @Optional() @Inject(AUTH_API_PREFIX) private readonly explicitPrefix?: string,
  ) {}

  /** The prefix as a path: `/api/v1`, or `''` at the root. Leading slash, no trailing one. */
  get apiRoot(): string {
    this.root ??= normalisePrefix(this.explicitPrefix ?? this.application.getGlobalPrefix());
    return this.root;
  }

  /** Absolute path of one of the module's routes, e.g. `path(AuthPaths.refresh)` → `/api/v1/auth/refresh`. */
  path(route: string): string {
    return `${this.apiRoot}/${route}`;
  }

  /** Where the refresh and device cookies go: the auth endpoints only. */
  get authCookiePath(): string {
    return this.path(AUTH_SEGMENT);
  }
}

export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.trim().replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}
