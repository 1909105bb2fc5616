#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the
// most self time, and the same time grouped by package, so a hot path shows up
// without a flame-graph viewer. With --inclusive <regex>, the functions whose
// "name package:line" matches, by time spent in them and everything they call:
// how a hidden cost (an interceptor, a middleware) was found.
//
//   node tools/bench/cpu-profile-top.mjs dist/bench/profiles/CPU.…cpuprofile [top=30]
//   node tools/bench/cpu-profile-top.mjs <file> --inclusive 'intercept|helmet|canActivate' [top]
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

/** Time in each matching function including its callees, counted once per sample even when recursive. */
export function inclusiveTimes(file, pattern, top = 30) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const matches = new RegExp(pattern);
  const label = ({ callFrame }) => `${callFrame.functionName || '(anonymous)'} ${callFrame.url ? `${owner(callFrame.url)}:${callFrame.lineNumber + 1}` : ''}`.trim();
  const inclusive = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const key = label(byId.get(id));
      if (seen.has(key) || !matches.test(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  const lines = [`CPU profile ${file}: ${(total / 1e6).toFixed(1)} s sampled`, '', `Inclusive time of functions matching /${pattern}/:`];
  for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`${((100 * us) / total).toFixed(1).padStart(5)} % ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = args.indexOf('--inclusive');
  const pattern = flag >= 0 ? args.splice(flag, 2)[1] : null;
  const [file, top] = args;
  if (!file || (flag >= 0 && !pattern)) {
    console.error('usage: node tools/bench/cpu-profile-top.mjs <file.cpuprofile> [--inclusive <regex>] [top]');
    process.exit(2);
  }
  console.log(pattern ? inclusiveTimes(file, pattern, Number(top ?? 30)) : summariseProfile(file, Number(top ?? 30)));
}
