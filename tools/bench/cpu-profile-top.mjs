#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the
// most self time, and the same time grouped by package, so a hot path shows up
// without a flame-graph viewer.
//
//   node tools/bench/cpu-profile-top.mjs dist/bench/profiles/CPU.…cpuprofile [top=30]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where a frame's code lives: a package name, "app" for the bundle, "node" for core, or "(v8)" for VM entries. */
function owner(url) {
  if (!url) return '(v8)';
  if (url.startsWith('node:')) return 'node';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('dist/apps/api/main.js')) return 'app (main.js)';
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(file, top = 30) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: sample counts weighted by the time deltas.
  const selfUs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byOwner = new Map();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const where = callFrame.url ? `${owner(callFrame.url)}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const o = callFrame.url ? owner(callFrame.url) : callFrame.functionName || '(v8)';
    byOwner.set(o, (byOwner.get(o) ?? 0) + us);
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [`CPU profile ${file}: ${(total / 1e6).toFixed(1)} s sampled`, '', `Top ${top} functions by self time:`];
  for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)} ${ms(us)}  ${key}`);
  lines.push('', 'Self time by owner (package / app / node core / VM):');
  for (const [key, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`${pct(us)} ${ms(us)}  ${key}`);
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node tools/bench/cpu-profile-top.mjs <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(summariseProfile(file, Number(top ?? 30)));
}
