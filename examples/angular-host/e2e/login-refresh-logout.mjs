#!/usr/bin/env node
// Browser test of the example: the packed @latchkey/auth-angular against a running Latchkey API.
//
//   API_ORIGIN=http://127.0.0.1:3100 npm --prefix examples/angular-host run e2e
//
// It serves dist/browser (npm run build) with a tiny node:http server that answers index.html
// for client routes and proxies /svc/* to API_ORIGIN, headers (Cookie, Set-Cookie) untouched.
// Then, in Chromium (Debian's /usr/bin/chromium through playwright-core):
//   1. registers a fresh user through the proxy (GET providers for the XSRF-TOKEN cookie, then
//      POST register with X-XSRF-TOKEN), outside the browser;
//   2. opens `/`: authGuard sends it to /login?returnUrl=%2F; signs in there; sees the user on `/`;
//   3. deletes the access_token cookie and reloads: the guard's /auth/me gets a 401, the
//      interceptor refreshes silently (POST /svc/auth/refresh, new cookies), retries, and the
//      user is still shown, never sent to /login;
//   4. signs out: lands on /login, refresh_token and access_token cookies are gone, and `/` now
//      leads to /login again.
// Exit code 0 on success; otherwise 1 with the failed step. Screenshots go to dist-e2e/.
//
// Environment:
//   API_ORIGIN          required: where the API listens, e.g. http://127.0.0.1:3100 (the Nest
//                       example host, which mounts the API under the global prefix /svc).
//   API_PREFIX_REWRITE  test aid only, e.g. /api/v1: forward /svc/* to API_ORIGIN/api/v1/* and
//                       rewrite `Path=/api/v1…` in Set-Cookie to `Path=/svc…` (what nginx's
//                       proxy_cookie_path does), to run against the workspace's own API
//                       (apps/api, prefix /api/v1) until a host with the /svc prefix exists.
//   CHROMIUM_PATH       default /usr/bin/chromium.
//   HEADED=1            show the browser (needs a display).
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, request as playwrightRequest } from 'playwright-core';
import contract from '@latchkey/auth-contract'; // the package's CommonJS build, as Node loads it

const { DEV_COOKIE_NAMES, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } = contract;
const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BROWSER_DIST = join(EXAMPLE, 'dist', 'browser');
const SCREENSHOTS = join(EXAMPLE, 'dist-e2e');
const PREFIX = '/svc'; // provideAuth({ apiBaseUrl: '/svc' }) in src/app/app.config.ts
const COOKIES = DEV_COOKIE_NAMES; // access_token / refresh_token (the API outside ENV=production)
const TIMEOUT_MS = 15_000;

const API_ORIGIN = process.env.API_ORIGIN;
const REWRITE = (process.env.API_PREFIX_REWRITE ?? '').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let step = 'start';
const log = (message) => console.log(`[e2e] ${message}`);
class StepFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new StepFailure(message);
}

// ---------------------------------------------------------------------------------------------
// Static files + /svc proxy
// ---------------------------------------------------------------------------------------------
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};
// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not to the message.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/** Requests the proxy forwarded, for the checks: `POST /svc/auth/refresh → 200`. */
const proxied = [];

function isApiPath(pathname) {
  return pathname === PREFIX || pathname.startsWith(`${PREFIX}/`);
}

function proxy(req, res, url) {
  const upstreamPath = REWRITE ? `${REWRITE}${url.pathname.slice(PREFIX.length)}${url.search}` : `${url.pathname}${url.search}`;
  const target = new URL(upstreamPath, API_ORIGIN);
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers }, (answer) => {
    proxied.push({ method: req.method, path: url.pathname, status: answer.statusCode });
    // rawHeaders keeps every Set-Cookie line as it came (one header each).
    const out = [];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) {
      const name = answer.rawHeaders[i];
      let value = answer.rawHeaders[i + 1];
      if (HOP_BY_HOP.has(name.toLowerCase())) continue;
      if (REWRITE && name.toLowerCase() === 'set-cookie') value = rewriteCookiePath(value);
      out.push(name, value);
    }
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
    answer.pipe(res);
  });
  upstream.on('error', (error) => {
    proxied.push({ method: req.method, path: url.pathname, status: 502 });
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 502, message: `proxy: ${error.message}`, error: 'Bad Gateway' }));
  });
  req.pipe(upstream);
}

/** Test aid (API_PREFIX_REWRITE): `Path=/api/v1/auth` → `Path=/svc/auth`, like nginx proxy_cookie_path. */
function rewriteCookiePath(cookie) {
  return cookie.replace(/;\s*Path=([^;]*)/i, (whole, path) =>
    path === REWRITE || path.startsWith(`${REWRITE}/`) ? `; Path=${PREFIX}${path.slice(REWRITE.length)}` : whole,
  );
}

function serveStatic(req, res, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const file = normalize(join(BROWSER_DIST, pathname));
  const inside = file === BROWSER_DIST || file.startsWith(BROWSER_DIST + sep);
  const isFile = inside && existsSync(file) && statSync(file).isFile();
  if (!isFile && extname(pathname)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  const path = isFile ? file : join(BROWSER_DIST, 'index.html'); // client route → the app
  res.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(path).pipe(res);
}

function startServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (isApiPath(url.pathname)) proxy(req, res, url);
    else if (req.method === 'GET' || req.method === 'HEAD') serveStatic(req, res, url);
    else res.writeHead(405, { allow: 'GET, HEAD' }).end();
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise(server));
  });
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------
async function registerUser(baseURL, email, password) {
  const api = await playwrightRequest.newContext({ baseURL });
  try {
    const providers = await api.get(`${PREFIX}/auth/providers`);
    check(
      providers.ok(),
      `GET ${PREFIX}/auth/providers answered ${providers.status()}: ${await providers.text()}` +
        (providers.status() === 404 && !REWRITE ? ` (is ${API_ORIGIN} an API under ${PREFIX}? For one under /api/v1 set API_PREFIX_REWRITE=/api/v1)` : ''),
    );
    const xsrf = (await api.storageState()).cookies.find((cookie) => cookie.name === XSRF_COOKIE_NAME);
    check(xsrf, `GET ${PREFIX}/auth/providers set no ${XSRF_COOKIE_NAME} cookie through the proxy`);
    const registered = await api.post(`${PREFIX}/auth/register`, {
      headers: { [XSRF_HEADER_NAME]: xsrf.value },
      data: { email, password, name: 'Example Host' },
    });
    if (registered.status() !== 201) check(false, `POST ${PREFIX}/auth/register answered ${registered.status()}: ${await bodyOf(registered)}`);
    const body = await registered.json();
    check(!body.verificationRequired, 'the API requires email verification (EMAIL_VERIFICATION=required): run it with the default, optional');
  } finally {
    await api.dispose();
  }
}

async function main() {
  if (!API_ORIGIN) {
    throw new StepFailure('API_ORIGIN is required, e.g. API_ORIGIN=http://127.0.0.1:3100 (the API serving /svc/auth/*)');
  }
  check(/^https?:\/\//.test(API_ORIGIN), `API_ORIGIN must be an http(s) origin, got ${API_ORIGIN}`);
  check(existsSync(join(BROWSER_DIST, 'index.html')), `${BROWSER_DIST}/index.html is missing: run \`npm --prefix examples/angular-host run build\` first`);
  check(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  rmSync(SCREENSHOTS, { recursive: true, force: true });
  mkdirSync(SCREENSHOTS, { recursive: true });

  step = 'serve';
  const server = await startServer();
  const baseURL = `http://127.0.0.1:${server.address().port}`;
  log(`app at ${baseURL}, ${PREFIX}/* → ${API_ORIGIN}${REWRITE || ''}/*${REWRITE ? ` (API_PREFIX_REWRITE=${REWRITE}, cookie paths rewritten)` : ''}`);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: !process.env.HEADED,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'].filter(
      (arg) => arg !== '--headless' || !process.env.HEADED,
    ),
  });
  const context = await browser.newContext({ baseURL });
  context.setDefaultTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // Chromium logs every 4xx as a console error without its URL: judge the responses instead.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    // 401s from /auth/me and /auth/refresh are the library at work (no session yet, or the refresh that renews it).
    const expected = response.status() === 401 && [`${PREFIX}/auth/me`, `${PREFIX}/auth/refresh`].includes(pathname);
    if (response.status() >= 400 && !expected) pageErrors.push(`${response.request().method()} ${pathname} answered ${response.status()}`);
  });
  const cookie = async (name) => (await context.cookies()).find((c) => c.name === name);
  const shot = (name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  try {
    step = 'register';
    const email = `host-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
    const password = `Pw-${Math.random().toString(36).slice(2)}-e2e`;
    await registerUser(baseURL, email, password);
    log(`registered ${email} through ${PREFIX}/auth/register`);

    step = 'guard → /login';
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    check(new URL(page.url()).searchParams.get('returnUrl') === '/', `expected /login?returnUrl=%2F, got ${page.url()}`);
    await shot('1-login');
    log(`signed out, / → ${new URL(page.url()).pathname}${new URL(page.url()).search}`);

    step = 'sign in';
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    const login = page.waitForResponse((r) => r.url().endsWith(`${PREFIX}/auth/login`));
    await page.getByRole('button', { name: 'Sign in' }).click();
    const loginResponse = await login;
    if (loginResponse.status() !== 200) check(false, `POST ${PREFIX}/auth/login answered ${loginResponse.status()}: ${await bodyOf(loginResponse)}`);
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
    check(await cookie(COOKIES.access), `no ${COOKIES.access} cookie after sign-in`);
    const refreshBefore = await cookie(COOKIES.refresh);
    check(refreshBefore, `no ${COOKIES.refresh} cookie after sign-in`);
    check(
      refreshBefore.path === `${PREFIX}/auth`,
      `${COOKIES.refresh} has Path=${refreshBefore.path}; the browser sends it to ${PREFIX}/auth/refresh only with Path=${PREFIX}/auth` +
        (REWRITE ? '' : ' (an API with another prefix? try API_PREFIX_REWRITE)'),
    );
    await shot('2-signed-in');
    log(`signed in on /login, / shows ${email}`);

    step = 'silent refresh';
    await context.clearCookies({ name: COOKIES.access });
    check(!(await cookie(COOKIES.access)), `${COOKIES.access} still there after clearCookies`);
    const wentToLogin = [];
    const onNavigate = (frame) => frame === page.mainFrame() && new URL(frame.url()).pathname === '/login' && wentToLogin.push(frame.url());
    page.on('framenavigated', onNavigate);
    const refresh = page.waitForResponse((r) => r.url().endsWith(`${PREFIX}/auth/refresh`));
    await page.reload();
    const refreshResponse = await refresh;
    if (refreshResponse.status() !== 200) check(false, `POST ${PREFIX}/auth/refresh answered ${refreshResponse.status()}: ${await bodyOf(refreshResponse)}`);
    await page.getByTestId('user-email').filter({ hasText: email }).waitFor();
    page.off('framenavigated', onNavigate);
    check(wentToLogin.length === 0, `the page went to ${wentToLogin[0]} during the refresh`);
    check(new URL(page.url()).pathname === '/', `after the refresh the page is at ${page.url()}`);
    check(await cookie(COOKIES.access), `no new ${COOKIES.access} cookie after the refresh`);
    const refreshAfter = await cookie(COOKIES.refresh);
    check(refreshAfter && refreshAfter.value !== refreshBefore.value, `${COOKIES.refresh} was not rotated by the refresh`);
    const meCalls = proxied.filter((r) => r.path === `${PREFIX}/auth/me`).map((r) => r.status);
    check(meCalls.slice(-2).join(',') === '401,200', `expected GET ${PREFIX}/auth/me 401 then (after the refresh) 200, saw ${meCalls.join(',')}`);
    await shot('3-after-refresh');
    log('access cookie deleted + reload: /auth/me 401 → refresh 200 → /auth/me 200, user still shown, refresh token rotated');

    step = 'sign out';
    const logout = page.waitForResponse((r) => r.url().endsWith(`${PREFIX}/auth/logout`));
    await page.getByRole('button', { name: 'Sign out' }).click();
    const logoutResponse = await logout;
    check(logoutResponse.status() === 204, `POST ${PREFIX}/auth/logout answered ${logoutResponse.status()}`);
    await page.waitForURL((url) => url.pathname === '/login');
    check(!(await cookie(COOKIES.refresh)), `${COOKIES.refresh} cookie still there after sign-out`);
    check(!(await cookie(COOKIES.access)), `${COOKIES.access} cookie still there after sign-out`);
    await shot('4-signed-out');
    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    log('signed out: on /login, auth cookies gone, / leads to /login again');

    step = 'page errors';
    check(pageErrors.length === 0, `errors in the page:\n  ${pageErrors.join('\n  ')}`);
    log(`ok: login, silent refresh and logout through ${PREFIX} (screenshots in ${SCREENSHOTS})`);
  } catch (error) {
    await page.screenshot({ path: join(SCREENSHOTS, 'failure.png'), fullPage: true }).catch(() => undefined);
    if (pageErrors.length) console.error(`[e2e] page errors:\n  ${pageErrors.join('\n  ')}`);
    console.error(`[e2e] proxied: ${proxied.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ') || 'nothing'}`);
    throw error;
  } finally {
    await browser.close();
    server.close();
  }
}

/** The body of a failed answer, for the message; the browser may no longer hold it. */
async function bodyOf(response) {
  return response.text().catch((error) => `(body unavailable: ${error.message})`);
}

main().then(
  () => process.exit(0),
  (error) => {
    const detail = error instanceof StepFailure ? error.message : (error?.stack ?? String(error));
    console.error(`[e2e] FAILED at step "${step}": ${detail}`);
    process.exit(1);
  },
);
