// Preloaded by scripts/test.mjs (`node --require ./scripts/only-local-modules.cjs dist/main.js`)
// and scripts/check-isolation.mjs: every module the app loads must come from this example
// (its dist/ and its node_modules/), never from the Latchkey workspace around it, whose
// node_modules Node would otherwise find by walking up the directory tree.
'use strict';
const Module = require('node:module');
const { realpathSync } = require('node:fs');
const { resolve, sep } = require('node:path');

const ROOT = realpathSync(resolve(__dirname, '..')) + sep;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const filename = resolveFilename.call(this, request, ...rest);
  if (Module.isBuiltin(filename)) return filename;
  const real = realpathSync(filename);
  if (!real.startsWith(ROOT)) {
    throw new Error(`only-local-modules: "${request}" resolved to ${real}, outside ${ROOT} (a dependency missing from examples/nest-host/package.json?)`);
  }
  return filename;
};
