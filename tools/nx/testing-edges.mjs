#!/usr/bin/env node
// No production code reaches a testing lib: every file-level dependency on a project
// tagged `type:testing` must come from test code (specs, e2e suites, src/test, src/testing).
// Lint forbids it file by file; this checks the project graph Nx itself computed
// (`nx graph` shows project edges only, and a spec's import draws one).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProjectGraphAsync, workspaceRoot } from '@nx/devkit';

const TEST_CODE = /\.spec\.ts$|\.e2e\.ts$|\/src\/test\/|\/src\/testing\/|\/jest\.config\.[cm]?ts$/;

const graph = await createProjectGraphAsync({ exitOnError: true });
const testing = new Set(Object.values(graph.nodes).filter((node) => node.data.tags?.includes('type:testing')).map((node) => node.name));
const { fileMap } = JSON.parse(readFileSync(join(workspaceRoot, '.nx/workspace-data/file-map.json'), 'utf8'));

let fromTests = 0;
const fromProduction = [];
for (const [project, files] of Object.entries(fileMap.projectFileMap)) {
  const e2eProject = graph.nodes[project]?.data.tags?.includes('type:e2e');
  if (testing.has(project)) continue;
  for (const { file, deps = [] } of files) {
    for (const dep of deps) {
      const target = Array.isArray(dep) ? dep[1] : dep;
      if (!testing.has(target)) continue;
      if (e2eProject || TEST_CODE.test(file)) fromTests++;
      else fromProduction.push(`${file} → ${target}`);
    }
  }
}
if (fromProduction.length > 0) {
  console.error(`Production code depends on a testing lib (${[...testing].join(', ')}):\n  ${fromProduction.join('\n  ')}`);
  process.exit(1);
}
console.log(`testing libs (${[...testing].join(', ')}): ${fromTests} dependencies, all from test code; none from production code`);
