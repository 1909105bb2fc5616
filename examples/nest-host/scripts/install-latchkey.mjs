#!/usr/bin/env node
// The packed @latchkey/auth-contract and @latchkey/auth-nest, installed --no-save
// (see ../../install-latchkey.mjs). Build them first: `npx nx build auth-nest`.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installLatchkey } from '../../install-latchkey.mjs';

installLatchkey({
  example: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  libraries: ['contract', 'nest'],
  installedMarker: '@nestjs/core',
  build: 'npx nx build auth-nest',
  // A second copy breaks Nest's dependency injection and TypeORM's metadata.
  singletons: ['@nestjs/core', '@nestjs/common', 'typeorm', '@nestjs/typeorm', 'reflect-metadata', 'class-validator'],
});
