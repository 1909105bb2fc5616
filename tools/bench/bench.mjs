#!/usr/bin/env node
// `npm run bench`: drives the BUILT server (dist/apps/api/main.js; this script
// builds nothing) on a fresh database with autocannon over loopback, prints one
// table and writes it as JSON under dist/bench/.
//
//   DATABASE_URL unset → embedded PGlite in a temporary DATA_DIR (removed after)
//   DATABASE_URL set   → a fresh database on that server (dropped after)
//
// Knobs (environment): BENCH_DURATION seconds per measured run (default 5),
// BENCH_CONNECTIONS (50), BENCH_CPU_PROF=1 starts the server with --cpu-prof and
// prints its hottest functions (see tools/bench/cpu-profile-top.mjs).
// Timing goals live here, never as assertions in tests.
import autocannon from 'autocannon';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseProfile } from './cpu-profile-top.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** BENCH_SERVER points at another build of the server (e.g. to compare a change); the default is the one `nx build api` makes. */
const SERVER_MAIN = process.env.BENCH_SERVER ? resolve(process.env.BENCH_SERVER) : join(ROOT, 'dist', 'apps', 'api', 'main.js');
const OUT_DIR = join(ROOT, 'dist', 'bench');
const API = '/api/v1';
const XSRF = 'bench-xsrf-token';
const PHASES = ['hello', 'health', 'me', 'refresh', 'login'];

const S = {
  duration: positive('BENCH_DURATION', 5),
  warmup: 1,
  connections: positive('BENCH_CONNECTIONS', 50),
  cpuProf: process.env.BENCH_CPU_PROF === '1',
  /** BENCH_ONLY=me,refresh runs just those phases (for profiling one hot path). */
  only: new Set((process.env.BENCH_ONLY || PHASES.join(',')).split(',').map((p) => p.trim())),
};
for (const phase of S.only) if (!PHASES.includes(phase)) throw new Error(`BENCH_ONLY: unknown phase ${phase}; expected ${PHASES.join(', ')}`);

const GOALS = {
  meOverHealth: 0.9,
  refreshOverRaw: 0.7,
  refreshP99PostgresMs: 50,
  loginOverArgon: 0.9,
};

function positive(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0)) throw new Error(`${name} must be a positive number`);
  return value;
}

// ───────────────────────────── small helpers ─────────────────────────────

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const round = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? null : Number(n.toFixed(digits)));

async function freePort() {
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
function setCookies(headers) {
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

const cookieEnding = (cookies, suffix) => Object.entries(cookies).find(([name]) => name.endsWith(suffix))?.[1];

// ───────────────────────────── the database ─────────────────────────────

/** A fresh database for this run: PGlite in a temporary directory, or a new database on DATABASE_URL's server. */
async function freshDatabase() {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    return { kind: 'pglite', dataDir, databaseUrl: undefined, drop: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `lk_bench_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    dataDir,
    databaseUrl: url.toString(),
    name,
    drop: async () => {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((e) => log(`could not drop ${name}: ${e.message}`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

// ───────────────────────────── the servers ─────────────────────────────

async function startApi(db, { fresh = true } = {}) {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build first (npx nx build api)`);
  const port = await freePort();
  const profDir = join(OUT_DIR, 'profiles');
  if (S.cpuProf) mkdirSync(profDir, { recursive: true });
  const args = [...(S.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), SERVER_MAIN];
  mkdirSync(OUT_DIR, { recursive: true });
  const logFile = join(OUT_DIR, `server-${db.kind}.log`);
  const logFd = openSync(logFile, fresh ? 'w' : 'a');
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      // As `npm start` runs it; production needs DATABASE_URL and would rename the cookies.
      ENV: 'development',
      NODE_ENV: 'production',
      // What a deployment logs (ENV=production's default): sign-ins and failures, not every refresh.
      LOG_LEVEL: 'log',
      DATA_DIR: db.dataDir,
      DATABASE_URL: db.databaseUrl,
      JWT_SECRET: 'bench-secret-0123456789-0123456789-0123456789',
    },
    // A file, as a log collector would take it: a pipe that this busy process
    // drained late would block the server's synchronous stdout writes.
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const tailOf = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  };
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal, at: process.hrtime.bigint() })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${tailOf()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer within 60 s:\n${tailOf()}`);
    }
    const ok = await fetch(`${url}${API}/health`).then((r) => r.status === 200, () => false);
    if (ok) break;
    await sleep(20);
  }
  const coldStartMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    url,
    pid: child.pid,
    coldStartMs,
    output: tailOf,
    logLines: () => readFileSync(logFile, 'utf8').split('\n').length - 1,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
    },
    async stop() {
      const sent = process.hrtime.bigint();
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const { code, signal, at } = await exited;
      clearTimeout(timer);
      return { code, signal, ms: Number(at - sent) / 1e6 };
    },
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
  };
}

async function startHello() {
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'bench', 'hello-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`hello server exited with ${code}`)));
    child.stdout.once('data', (chunk) => resolvePort(Number(chunk.toString().trim())));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGKILL') };
}

// ───────────────────────────── HTTP set-up ─────────────────────────────

async function post(url, path, body, cookies = {}) {
  const cookie = Object.entries({ 'XSRF-TOKEN': XSRF, ...cookies }).map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(`${url}${API}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-xsrf-token': XSRF, cookie },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const jar = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return { status: res.status, text, cookies: jar };
}

/** One user, and `count` sessions of theirs (logins are not rate limited on success). */
async function createSessions(url, count) {
  const email = `bench-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'bench-password-1234';
  const registered = await post(url, '/auth/register', { email, password, name: 'Bench' });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}: ${registered.text}`);
  const sessions = [];
  const worker = async () => {
    while (sessions.length < count) {
      const res = await post(url, '/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
      const access = Object.entries(res.cookies).find(([n]) => n.endsWith('access_token'));
      const refresh = Object.entries(res.cookies).find(([n]) => n.endsWith('refresh_token'));
      const device = Object.entries(res.cookies).find(([n]) => n.endsWith('lk_device'));
      sessions.push({ accessName: access[0], access: access[1], refreshName: refresh[0], refresh: refresh[1], device: `${device[0]}=${device[1]}` });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { email, password, sessions: sessions.slice(0, count) };
}

// ───────────────────────────── autocannon runs ─────────────────────────────

/**
 * CPU time (ms) used so far, from /proc (Linux): the whole process (all its
 * threads), or with `mainThread` only its JavaScript thread, the rest being
 * libuv's pool (argon2, crypto) and V8's GC and compiler threads.
 */
function cpuMsOf(pid, { mainThread = false } = {}) {
  try {
    const fields = readFileSync(mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime and stime, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** One autocannon run; `target` is the pid serving it, whose CPU time per answer is recorded. */
function cannon(opts, target) {
  const server0 = target ? cpuMsOf(target) : NaN;
  const main0 = target ? cpuMsOf(target, { mainThread: true }) : NaN;
  const client0 = process.cpuUsage();
  return new Promise((resolveRun, reject) => {
    autocannon({ connections: S.connections, ...opts }, (error, result) => {
      if (error) return reject(error);
      const client = process.cpuUsage(client0);
      const answers = Math.max(1, result['2xx'] + result.non2xx);
      result.cpu = {
        answers,
        serverMs: target ? cpuMsOf(target) - server0 : null,
        serverMainMs: target ? cpuMsOf(target, { mainThread: true }) - main0 : null,
        clientMs: (client.user + client.system) / 1000,
      };
      resolveRun(result);
    });
  });
}

/** rps counts only 2xx answers, over the run's real duration. */
function summarise(result) {
  const ok = result['2xx'];
  const seconds = result.duration || S.duration;
  return {
    rps: ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpu: result.cpu,
    serverCpuMsPerReq: result.cpu?.serverMs === null ? null : round(result.cpu.serverMs / result.cpu.answers, 3),
    serverMainCpuMsPerReq: result.cpu?.serverMainMs === null ? null : round(result.cpu.serverMainMs / result.cpu.answers, 3),
    clientCpuMsPerReq: round(result.cpu.clientMs / result.cpu.answers, 3),
    statuses: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

async function getRun(url, path, headers, duration, pid) {
  await cannon({ url: url + path, headers, duration: S.warmup });
  return summarise(await cannon({ url: url + path, headers, duration }, pid));
}

/**
 * Refresh rotations: every connection owns one session and always presents the
 * newest refresh token it was given (taken from Set-Cookie in onResponse).
 */
async function refreshRun(url, sessions, duration, pid) {
  let next = 0;
  const lost = { count: 0 };
  const result = await cannon({
    url: `${url}${API}/auth/refresh`,
    method: 'POST',
    duration,
    setupClient(client) {
      const session = sessions[next++ % sessions.length];
      client.setRequests([
        {
          method: 'POST',
          path: `${API}/auth/refresh`,
          setupRequest: (req) => ({
            ...req,
            headers: { cookie: `XSRF-TOKEN=${XSRF}; ${session.refreshName}=${session.refresh}`, 'x-xsrf-token': XSRF },
          }),
          onResponse: (status, _body, _context, headers) => {
            if (status !== 200) return void lost.count++;
            const fresh = cookieEnding(setCookies(headers), 'refresh_token');
            if (fresh) session.refresh = fresh;
          },
        },
      ]);
    },
  }, pid);
  return { ...summarise(result), refused: lost.count };
}

/**
 * Each connection is a browser that signed in before and holds its own device cookie:
 * without one, only 5 passwords of one account are checked at once and the rest get 429
 * (the sign-in limits reserve each attempt before checking it).
 */
async function loginRun(url, email, password, devices, duration, pid) {
  const headers = { 'content-type': 'application/json', 'x-xsrf-token': XSRF };
  let next = 0;
  const opts = {
    url: `${url}${API}/auth/login`,
    method: 'POST',
    headers: { ...headers, cookie: `XSRF-TOKEN=${XSRF}` },
    body: JSON.stringify({ email, password }),
    setupClient: (client) => client.setHeaders({ ...headers, cookie: `XSRF-TOKEN=${XSRF}; ${devices[next++ % devices.length]}` }),
  };
  await cannon({ ...opts, duration: S.warmup });
  return summarise(await cannon({ ...opts, duration }, pid));
}

// ───────────────────────────── raw baselines ─────────────────────────────

/** Runs a baseline of raw-baselines.mjs in a process of its own, so neither the bench's heap nor its event loop weighs on it. */
async function rawBaseline(job) {
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'bench', 'raw-baselines.mjs'), JSON.stringify({ warmup: S.warmup, ...job })], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`raw baseline ${job.kind} exited with ${code}`);
  return JSON.parse(out);
}

// ───────────────────────────── the run ─────────────────────────────

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const db = await freshDatabase();
  log(`database: ${db.kind}${db.name ? ` (${db.name})` : ''}; ${cpus().length} cores; node ${process.version}; ${S.connections} connections, ${S.duration} s runs; phases ${[...S.only].join(',')}`);
  let api;
  let hello;
  const onSignal = () => {
    api?.kill();
    hello?.stop();
    void db.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  try {
    api = await startApi(db);
    const coldStartMs = api.coldStartMs;
    log(`cold start to first 200: ${coldStartMs.toFixed(0)} ms`);

    // 50 sessions for the HTTP refresh run, 50 more for the raw baseline, one for /auth/me.
    const { email, password, sessions } = await createSessions(api.url, 2 * S.connections + 1);
    const meSession = sessions.pop();
    const httpSessions = sessions.slice(0, S.connections);
    const rawTokens = sessions.slice(S.connections).map((s) => s.refresh);
    // Both carry the XSRF cookie a browser would already hold, so neither pays for minting one.
    const xsrfCookie = { cookie: `XSRF-TOKEN=${XSRF}` };
    const meCookie = { cookie: `XSRF-TOKEN=${XSRF}; ${meSession.accessName}=${meSession.access}` };
    const r = { db, coldStartMs };

    // Restart once on the now populated database: the warm start figure, and on PGlite
    // (one process's files) the moment to copy them for the raw baseline, so that
    // baseline can run alternately with the HTTP runs instead of after them.
    await api.stop();
    let rawDataDir = null;
    if (db.kind === 'pglite' && S.only.has('refresh')) {
      rawDataDir = join(db.dataDir, 'raw-baseline');
      cpSync(join(db.dataDir, 'pgdata'), join(rawDataDir, 'pgdata'), { recursive: true });
    }
    api = await startApi(db, { fresh: false });
    r.warmStartMs = api.coldStartMs;
    log(`restart on the populated database to first 200: ${r.warmStartMs.toFixed(0)} ms`);
    // Short halves alternate between the two sides of each ratio, so the
    // machine's drift (other work on these 2 cores) hits both alike.
    const half = Math.max(1, S.duration / 2);

    if (S.only.has('hello')) {
      hello = await startHello();
      log('hello (node:http ceiling)…');
      r.hello = await getRun(hello.url, '/', {}, S.duration, hello.pid);
      hello.stop();
      hello = undefined;
    }

    if (S.only.has('health') || S.only.has('me')) {
      const healthRuns = [];
      const meRuns = [];
      for (let i = 0; i < 2; i++) {
        log(`GET /health and GET /auth/me, round ${i + 1}…`);
        if (S.only.has('health')) healthRuns.push(await getRun(api.url, `${API}/health`, xsrfCookie, half, api.pid));
        if (S.only.has('me')) meRuns.push(await getRun(api.url, `${API}/auth/me`, meCookie, half, api.pid));
      }
      r.health = mergeRuns(healthRuns);
      r.me = mergeRuns(meRuns);
    }

    if (S.only.has('refresh')) {
      await refreshRun(api.url, httpSessions.slice(0, 10), S.warmup);
      const refreshRuns = [];
      const rawRuns = { transaction: [], statement: [] };
      let tokens = rawTokens;
      for (let i = 0; i < 2; i++) {
        log(`refresh rotations, and the raw rotations (server idle), round ${i + 1}…`);
        refreshRuns.push(await refreshRun(api.url, httpSessions, half, api.pid));
        const target = db.kind === 'postgres' ? { kind: 'postgres', databaseUrl: db.databaseUrl } : { kind: 'pglite', dataDir: rawDataDir };
        for (const shape of ['transaction', 'statement']) {
          const raw = await rawBaseline({ ...target, shape, tokens, seconds: half, warmup: i === 0 ? S.warmup : 0 });
          tokens = raw.tokens;
          rawRuns[shape].push(raw);
        }
      }
      r.refresh = { ...mergeRuns(refreshRuns), refused: refreshRuns.reduce((n, x) => n + x.refused, 0) };
      r.rawRefresh = mergeRaw(rawRuns.transaction);
      r.rawStatement = mergeRaw(rawRuns.statement);
    }

    if (S.only.has('login')) {
      const loginRuns = [];
      const argonRuns = [];
      for (let i = 0; i < 2; i++) {
        log(`login, and raw argon2id verify (server idle), round ${i + 1}…`);
        loginRuns.push(await loginRun(api.url, email, password, httpSessions.map((session) => session.device), half, api.pid));
        argonRuns.push(await rawBaseline({ kind: 'argon', seconds: half }));
      }
      r.login = mergeRuns(loginRuns);
      r.argon = { rps: argonRuns.reduce((n, a) => n + a.rps, 0) / argonRuns.length, inFlight: argonRuns[0].inFlight };
    }

    r.memory = api.memory();
    r.logLines = api.logLines();
    r.shutdown = await api.stop();
    api = undefined;

    const report = buildReport(r);
    // Other work on the machine moves every figure: say how busy it was.
    report.loadAverage1m = { before: round(loadBefore, 2), after: round(loadavg()[0], 2) };
    report.totalSeconds = round((Date.now() - started) / 1000, 1);
    print(report);
    mkdirSync(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, `bench-${db.kind}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    log(`written to ${file} (${report.totalSeconds} s in all)`);
    const profile = S.cpuProf ? latestProfile() : null;
    if (profile) process.stdout.write('\n' + summariseProfile(profile, 30) + '\n');
  } finally {
    process.removeListener('SIGINT', onSignal);
    api?.kill();
    hello?.stop();
    await db.drop();
  }
}

function mergeRuns(runs) {
  if (runs.length === 0) return undefined;
  return {
    rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length,
    p50: Math.max(...runs.map((r) => r.p50)),
    // The worse half's p99: the conservative figure for a goal.
    p99: Math.max(...runs.map((r) => r.p99)),
    ok: runs.reduce((n, r) => n + r.ok, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    // CPU per answer over all halves together: a half with few answers does not skew it.
    serverCpuMsPerReq: round(runs.reduce((n, r) => n + r.cpu.serverMs, 0) / runs.reduce((n, r) => n + r.cpu.answers, 0), 3),
    serverMainCpuMsPerReq: round(runs.reduce((n, r) => n + r.cpu.serverMainMs, 0) / runs.reduce((n, r) => n + r.cpu.answers, 0), 3),
    clientCpuMsPerReq: round(runs.reduce((n, r) => n + r.cpu.clientMs, 0) / runs.reduce((n, r) => n + r.cpu.answers, 0), 3),
    statuses: runs.reduce((all, r) => {
      for (const [code, n] of Object.entries(r.statuses ?? {})) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {}),
  };
}

function mergeRaw(runs) {
  return {
    rps: runs.reduce((n, r) => n + r.rps, 0) / runs.length,
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    ok: runs.reduce((n, r) => n + r.ok, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    firstError: runs.find((r) => r.firstError)?.firstError ?? null,
  };
}

function latestProfile() {
  const dir = join(OUT_DIR, 'profiles');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length ? join(dir, files[files.length - 1]) : null;
}

/** Ratio a ÷ b, or null when either side did not run. */
function ratio(a, b) {
  return a && b && b.rps > 0 ? a.rps / b.rps : null;
}

function status(value, met) {
  return value === null ? 'n/a' : met ? 'met' : 'NOT met';
}

function buildReport(r) {
  const meOverHealth = ratio(r.me, r.health);
  const refreshOverRaw = ratio(r.refresh, r.rawRefresh);
  const loginOverArgon = ratio(r.login, r.argon);
  const refreshP99 = r.refresh?.p99 ?? null;
  const onPostgres = r.db.kind === 'postgres';
  const goals = {
    meOverHealth: { value: round(meOverHealth, 3), goal: `≥ ${GOALS.meOverHealth}`, met: meOverHealth === null ? null : meOverHealth >= GOALS.meOverHealth },
    refreshOverRaw: { value: round(refreshOverRaw, 3), goal: `≥ ${GOALS.refreshOverRaw}`, met: refreshOverRaw === null ? null : refreshOverRaw >= GOALS.refreshOverRaw },
    refreshP99Ms: { value: refreshP99, goal: `< ${GOALS.refreshP99PostgresMs} (PostgreSQL)`, met: onPostgres && refreshP99 !== null ? refreshP99 < GOALS.refreshP99PostgresMs : null },
    loginOverArgon: { value: round(loginOverArgon, 3), goal: `≥ ${GOALS.loginOverArgon}`, met: loginOverArgon === null ? null : loginOverArgon >= GOALS.loginOverArgon },
  };
  const rows = [];
  const run = (metric, res, unit = 'rps', note) => res && rows.push({ metric, value: `${round(res.rps)} ${unit}`, p99: res.p99 === undefined || res.p99 === null ? undefined : round(res.p99, 1), cpu: res.serverCpuMsPerReq === undefined || res.serverCpuMsPerReq === null ? undefined : `${res.serverCpuMsPerReq} (${res.serverMainCpuMsPerReq})`, note: note ?? counts(res) });
  const goalRow = (metric, g, shown = g.value) => rows.push({ metric, value: shown ?? 'n/a', goal: g.goal, status: status(g.value, g.met) });
  run('GET /health', r.health);
  run('GET /auth/me (access cookie)', r.me);
  if (r.me && r.health) goalRow('/auth/me ÷ /health', goals.meOverHealth);
  run('bare node:http hello (ceiling)', r.hello);
  if (r.me && r.hello) rows.push({ metric: '/auth/me ÷ ceiling', value: round(r.me.rps / r.hello.rps, 3) });
  run(`POST /auth/refresh (${S.connections} sessions)`, r.refresh);
  run(
    `raw ${r.db.kind} rotation tx (issue's shape)`,
    r.rawRefresh,
    'tx/s',
    onPostgres ? 'pg.Pool(10) like the server, same database, own process' : 'PGlite in its own process, on a copy of the server’s data',
  );
  if (r.refresh) goalRow('refresh ÷ raw', goals.refreshOverRaw);
  run(`raw ${r.db.kind} app rotation statement`, r.rawStatement, 'tx/s', onPostgres ? 'the server’s one statement, prepared, no HTTP: what the rest of the stack costs' : 'the server’s one statement, no HTTP');
  if (r.refresh && r.rawStatement) rows.push({ metric: 'refresh ÷ raw app statement', value: round(r.refresh.rps / r.rawStatement.rps, 3) });
  if (r.refresh) rows.push({ metric: 'refresh p99', value: `${refreshP99} ms`, goal: onPostgres ? `< ${GOALS.refreshP99PostgresMs} ms` : `(< ${GOALS.refreshP99PostgresMs} ms on PostgreSQL)`, status: onPostgres ? status(refreshP99, goals.refreshP99Ms.met) : 'n/a' });
  run('POST /auth/login', r.login);
  run('raw argon2id verify (m=19456,t=2,p=1)', r.argon, '/s', r.argon && `${r.argon.inFlight} in flight, own process`);
  if (r.login) goalRow('login ÷ argon2id', goals.loginOverArgon);
  rows.push({ metric: 'cold start to first 200', value: `${round(r.coldStartMs)} ms`, note: onPostgres ? 'fresh database: migrations' : 'fresh data dir: initdb + migrations' });
  rows.push({ metric: 'restart to first 200', value: `${round(r.warmStartMs)} ms`, note: 'existing database, nothing to migrate' });
  rows.push({ metric: 'server RSS after the run', value: `${round(r.memory.rssMb)} MB`, note: `peak ${round(r.memory.peakRssMb)} MB` });
  rows.push({ metric: 'SIGTERM to exit', value: `${round(r.shutdown.ms)} ms`, note: `exit ${r.shutdown.code ?? r.shutdown.signal}` });
  return {
    when: new Date().toISOString(),
    database: r.db.kind,
    node: process.version,
    cores: cpus().length,
    connections: S.connections,
    durationSeconds: S.duration,
    phases: [...S.only],
    goals,
    results: {
      health: r.health ?? null,
      me: r.me ?? null,
      hello: r.hello ?? null,
      refresh: r.refresh ?? null,
      rawRefresh: r.rawRefresh ?? null,
      rawStatement: r.rawStatement ?? null,
      login: r.login ?? null,
      argon: r.argon ?? null,
      coldStartMs: round(r.coldStartMs, 0),
      warmStartMs: round(r.warmStartMs, 0),
      memory: { rssMb: round(r.memory.rssMb, 1), peakRssMb: round(r.memory.peakRssMb, 1) },
      shutdown: r.shutdown,
      serverLogLines: r.logLines,
    },
    rows,
  };
}

function counts(run) {
  const bad = [];
  if (run.non2xx) bad.push(`${run.non2xx} non-2xx ${JSON.stringify(Object.fromEntries(Object.entries(run.statuses ?? {}).filter(([c]) => !c.startsWith('2'))))}`);
  if (run.errors) bad.push(`${run.errors} errors/timeouts`);
  return bad.join(', ') || undefined;
}

function print(report) {
  const header = ['metric', 'value', 'p99 ms', 'server CPU ms/req (main thread)', 'goal', 'status', 'note'];
  const cell = (v) => (v === undefined || v === null ? '' : String(v));
  const table = report.rows.map((row) => [row.metric, cell(row.value), cell(row.p99), cell(row.cpu), cell(row.goal), cell(row.status), cell(row.note)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  const out = [
    `Latchkey bench — ${report.database}, ${report.cores} cores, node ${report.node}, ${report.connections} connections, ${report.durationSeconds} s runs, load average ${report.loadAverage1m.before} → ${report.loadAverage1m.after}`,
    line(header),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...table.map(line),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
