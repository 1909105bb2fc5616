// Infers a `typecheck` target for every project under apps/ and libs/ that has a
// tsconfig.<name>.json: `tsc --noEmit` over those files through tools/typecheck.mjs, so
// `nx affected -t typecheck` checks only what a change can break, with Nx's cache.
// `npm run typecheck` still checks every project in one go.
const { readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const TSCONFIG = /^tsconfig\..+\.json$/;

/** @type {import('@nx/devkit').CreateNodesV2} */
exports.createNodesV2 = [
  '{apps,libs}/**/project.json',
  (projectFiles, _options, context) =>
    projectFiles.map((file) => {
      const root = dirname(file);
      const hasTsconfig = readdirSync(join(context.workspaceRoot, root)).some((name) => TSCONFIG.test(name));
      return [file, hasTsconfig ? { projects: { [root]: { targets: { typecheck: typecheckTarget(root) } } } } : {}];
    }),
];

function typecheckTarget(root) {
  return {
    executor: 'nx:run-commands',
    options: { command: `node tools/typecheck.mjs ${root}` }, // run-commands starts in the workspace root
    cache: true,
    // Specs count (they are type-checked too); of the projects it imports, their sources.
    // No externalDependencies entry: every package's types can matter, so all are hashed.
    inputs: ['default', '^production', '{workspaceRoot}/tsconfig.base.json', '{workspaceRoot}/tools/typecheck.mjs'],
    outputs: [],
    metadata: { technologies: ['typescript'], description: 'tsc --noEmit over the project tsconfig.<name>.json files' },
  };
}
