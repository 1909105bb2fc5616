// Small pieces every bench script of tools/bench needs.
import { createServer } from 'node:net';

/** A positive number from the environment, or `fallback` when unset. */
export function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const round = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? null : Number(n.toFixed(digits)));

/** A port nothing listens on, for a server the bench starts. */
export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** name → value of the Set-Cookie headers of a response (any header casing, one or many). */
export function setCookies(headers) {
  const out = {};
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== 'set-cookie') continue;
    for (const line of [value].flat()) {
      const [pair] = String(line).split(';');
      const at = pair.indexOf('=');
      out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
    }
  }
  return out;
}
