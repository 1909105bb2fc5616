// Small pieces every bench script of tools/bench needs.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';

/** Where the built server mounts the API. */
export const API = '/api/v1';
/** The XSRF cookie and header every request of the benches sends, as a browser holding one does. */
export const XSRF = 'bench-xsrf-token';

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

/** A POST to the API with the XSRF pair (and `cookies`); its status, text and Set-Cookie values. */
export async function post(url, path, body, cookies = {}) {
  const cookie = Object.entries({ 'XSRF-TOKEN': XSRF, ...cookies }).map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${url}${API}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-xsrf-token': XSRF, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text(), cookies: setCookies({ 'set-cookie': res.headers.getSetCookie() }) };
}

/**
 * One new user and `count` sessions of theirs (logins are not rate limited on
 * success), each with its access and refresh cookie and the device cookie.
 */
export async function createSessions(url, count) {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'bench-password-1234';
  const registered = await post(url, '/auth/register', { email, password, name: 'Bench' });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${registered.text}`);
  const sessions = [];
  const cookieEnding = (cookies, suffix) => Object.entries(cookies).find(([name]) => name.endsWith(suffix));
  const worker = async () => {
    while (sessions.length < count) {
      const res = await post(url, '/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
      const [accessName, access] = cookieEnding(res.cookies, 'access_token');
      const [refreshName, refresh] = cookieEnding(res.cookies, 'refresh_token');
      const [deviceName, device] = cookieEnding(res.cookies, 'lk_device');
      sessions.push({ accessName, access, refreshName, refresh, device: `${deviceName}=${device}` });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { email, password, sessions: sessions.slice(0, count) };
}
