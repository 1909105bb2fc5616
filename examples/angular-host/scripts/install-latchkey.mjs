#!/usr/bin/env node
// The packed @latchkey/auth-contract and @latchkey/auth-angular, installed --no-save
// (see ../../install-latchkey.mjs). Build them first: `npx nx build auth-angular`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installLatchkey } from '../../install-latchkey.mjs';

installLatchkey({
  example: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  libraries: ['contract', 'angular'],
  installedMarker: '@angular/core',
  build: 'npx nx build auth-angular',
  singletons: ['@angular/core', 'rxjs'],
});
