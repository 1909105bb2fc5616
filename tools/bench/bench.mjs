#!/usr/bin/env node
// `npm run bench`: drives the BUILT server (dist/apps/api/main.js; this script
// builds nothing) on a fresh database with autocannon over loopback, prints one
// table and writes it as JSON under dist/bench/.
//
//   DATABASE_URL unset → embedded PGlite in a temporary DATA_DIR (removed after)
//   DATABASE_URL set   → a fresh database on that server (dropped after)
//
// Knobs (environment): BENCH_ROUNDS alternating rounds (default 3; every figure
// is the median of the rounds, with the spread), BENCH_DURATION seconds per
// measured run (default 3), BENCH_CONNECTIONS (50), BENCH_CPU_PROF=1 starts the
// server with --cpu-prof and prints its hottest functions (see
// tools/bench/cpu-profile-top.mjs).
// Timing goals live here, never as assertions in tests.
import autocannon from 'autocannon';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summariseProfile } from './cpu-profile-top.mjs';
import { API, createSessions, freePort, positive, round, setCookies, sleep, XSRF } from './bench-kit.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** BENCH_SERVER points at another build of the server (e.g. to compare a change); the default is the one `nx build api` makes. */
const SERVER_MAIN = process.env.BENCH_SERVER ? resolve(process.env.BENCH_SERVER) : join(ROOT, 'dist', 'apps', 'api', 'main.js');
const OUT_DIR = join(ROOT, 'dist', 'bench');
const PHASES = ['hello', 'providers', 'guard', 'me', 'refresh', 'login'];
const JWT_SECRET = 'bench-secret-0123456789-0123456789-0123456789';

const S = {
  rounds: positive('BENCH_ROUNDS', 3),
  duration: positive('BENCH_DURATION', 3),
  warmup: 1,
  connections: positive('BENCH_CONNECTIONS', 50),
  cpuProf: process.env.BENCH_CPU_PROF === '1',
  /** BENCH_ONLY=me,refresh runs just those phases (for profiling one hot path). */
  only: new Set((process.env.BENCH_ONLY || PHASES.join(',')).split(',').map((p) => p.trim())),
};
for (const phase of S.only) if (!PHASES.includes(phase)) throw new Error(`BENCH_ONLY: unknown phase ${phase}; expected ${PHASES.join(', ')}`);

/**
 * Issue 14's goals, each with the figure it started from ("was": measured from
 * outside before the work, see README.md) so one run shows how far it moved.
 */
const GOALS = {
  meOverProviders: { goal: 0.9, was: '0.58–0.65' },
  meOverGuardApp: { goal: 1.0, was: '0.65' },
  meOverHello: { goal: 0.15, was: '0.05' },
  refreshOverRaw: { goal: 0.9, was: '0.64' },
  refreshP99OverRaw: { goal: 1.5, was: 'p99 118 ms' },
  loginOverArgon: { goal: 0.9, was: '0.73' },
  pgliteColdStartMs: { goal: 2000, was: '6.4 s' },
  pgliteIdleRssMb: { goal: 200, was: '820 MB' },
  postgresColdStartMs: { goal: 1500, was: '1.1 s' },
  postgresIdleRssMb: { goal: 150, was: '133 MB' },
  cleanupP99Ratio: { goal: 1.2, was: '2.1' },
  cleanupLongestStatementMs: { goal: 200, was: '8–10 s' },
};


// ───────────────────────────── small helpers ─────────────────────────────

const log = (line) => process.stderr.write(`[bench] ${line}\n`);



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
      // What a deployment serves (ENV=production's default): no OpenAPI UI in front of the API's routes.
      API_DOCS: 'false',
      DATA_DIR: db.dataDir,
      DATABASE_URL: db.databaseUrl,
      JWT_SECRET,
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

/** A yardstick server of tools/bench in its own process (it prints its port). */
async function startYardstick(script, args = []) {
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'bench', script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout.once('data', (chunk) => resolvePort(Number(chunk.toString().trim())));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGKILL') };
}

/** The server's memory once it has started and answered a little, before any load. */
async function idleMemory(api) {
  for (let i = 0; i < 20; i++) await fetch(`${api.url}${API}/auth/providers`).then((r) => r.arrayBuffer());
  await sleep(1000);
  return api.memory();
}

// ───────────────────────────── HTTP set-up ─────────────────────────────



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
  log(`database: ${db.kind}${db.name ? ` (${db.name})` : ''}; ${cpus().length} cores; node ${process.version}; ${S.connections} connections, ${S.rounds} rounds of ${S.duration} s runs; phases ${[...S.only].join(',')}`);
  let api;
  const yardsticks = [];
  const onSignal = () => {
    api?.kill();
    for (const y of yardsticks) y.stop();
    void db.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  try {
    api = await startApi(db);
    const r = { db, coldStartMs: api.coldStartMs, idleMemory: await idleMemory(api) };
    log(`cold start to first 200: ${r.coldStartMs.toFixed(0)} ms; idle RSS ${r.idleMemory.rssMb.toFixed(0)} MB`);

    // 50 sessions for the HTTP refresh run, 50 more for the raw baseline, one for /auth/me.
    const { email, password, sessions } = await createSessions(api.url, 2 * S.connections + 1);
    const meSession = sessions.pop();
    const httpSessions = sessions.slice(0, S.connections);
    let rawTokens = sessions.slice(S.connections).map((s) => s.refresh);
    // Every GET carries the XSRF cookie a browser already holds, so none pays for minting one.
    const xsrfCookie = { cookie: `XSRF-TOKEN=${XSRF}` };
    const meCookie = { cookie: `XSRF-TOKEN=${XSRF}; ${meSession.accessName}=${meSession.access}` };

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

    const hello = S.only.has('hello') ? await startYardstick('hello-server.mjs') : null;
    const guardApp = S.only.has('guard') ? await startYardstick('guard-app.mjs', [JWT_SECRET, meSession.accessName]) : null;
    yardsticks.push(...[hello, guardApp].filter(Boolean));
    const getTargets = [
      ['hello', () => getRun(hello.url, '/', {}, S.duration, hello.pid)],
      ['providers', () => getRun(api.url, `${API}/auth/providers`, xsrfCookie, S.duration, api.pid)],
      ['me', () => getRun(api.url, `${API}/auth/me`, meCookie, S.duration, api.pid)],
      ['guard', () => getRun(guardApp.url, '/profile', meCookie, S.duration, guardApp.pid)],
    ].filter(([phase]) => S.only.has(phase));
    const rounds = { hello: [], providers: [], me: [], guard: [], refresh: [], rawRefresh: [], rawStatement: [], login: [], argon: [] };
    if (S.only.has('refresh')) await refreshRun(api.url, httpSessions.slice(0, 10), S.warmup);
    const rawTarget = db.kind === 'postgres' ? { kind: 'postgres', databaseUrl: db.databaseUrl } : { kind: 'pglite', dataDir: rawDataDir };

    for (let i = 0; i < S.rounds; i++) {
      // Each round starts with another target, so drift of the machine falls on each alike.
      for (let k = 0; k < getTargets.length; k++) {
        const [phase, run] = getTargets[(i + k) % getTargets.length];
        log(`round ${i + 1}/${S.rounds}: ${phase}…`);
        rounds[phase].push(await run());
      }
      if (S.only.has('refresh')) {
        log(`round ${i + 1}/${S.rounds}: refresh rotations, and the raw rotations (server idle)…`);
        // Fresh sessions each round: a rotation cut off at the end of the last run left its
        // client holding a spent token, which is theft once the grace window has passed.
        const roundSessions = i === 0 ? httpSessions : (await createSessions(api.url, S.connections)).sessions;
        rounds.refresh.push(await refreshRun(api.url, roundSessions, S.duration, api.pid));
        for (const shape of ['transaction', 'statement']) {
          const raw = await rawBaseline({ ...rawTarget, shape, tokens: rawTokens, seconds: S.duration, warmup: i === 0 ? S.warmup : 0 });
          rawTokens = raw.tokens;
          rounds[shape === 'transaction' ? 'rawRefresh' : 'rawStatement'].push(raw);
        }
      }
      if (S.only.has('login')) {
        log(`round ${i + 1}/${S.rounds}: login, and raw argon2id verify (server idle)…`);
        rounds.login.push(await loginRun(api.url, email, password, httpSessions.map((session) => session.device), S.duration, api.pid));
        rounds.argon.push(await rawBaseline({ kind: 'argon', seconds: S.duration }));
      }
    }
    for (const y of yardsticks.splice(0)) y.stop();
    r.rounds = rounds;
    r.memory = api.memory();
    r.logLines = api.logLines();
    r.shutdown = await api.stop();
    api = undefined;
    r.cleanup = latestCleanupBench();

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
    for (const y of yardsticks) y.stop();
    await db.drop();
  }
}

// ───────────────────────────── medians and spreads ─────────────────────────────

function median(values) {
  const sorted = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** median, min and max of a figure over the rounds. */
function spread(values) {
  const present = values.filter((v) => v !== null && v !== undefined && !Number.isNaN(v));
  if (present.length === 0) return null;
  return { median: median(present), min: Math.min(...present), max: Math.max(...present), values: present };
}

/** One target's rounds: median rps and p99 with their spread, CPU per answer over all rounds together. */
function summariseRounds(runs) {
  if (!runs || runs.length === 0) return null;
  const sum = (pick) => runs.reduce((n, run) => n + (pick(run) ?? 0), 0);
  const answers = sum((run) => run.cpu?.answers);
  return {
    rps: spread(runs.map((run) => run.rps)),
    p99: spread(runs.map((run) => run.p99)),
    ok: sum((run) => run.ok),
    non2xx: sum((run) => run.non2xx),
    errors: sum((run) => run.errors),
    refused: sum((run) => run.refused),
    serverCpuMsPerReq: runs[0].cpu ? round(sum((run) => run.cpu.serverMs) / answers, 3) : null,
    serverMainCpuMsPerReq: runs[0].cpu ? round(sum((run) => run.cpu.serverMainMs) / answers, 3) : null,
    statuses: runs.reduce((all, run) => {
      for (const [code, n] of Object.entries(run.statuses ?? {})) all[code] = (all[code] ?? 0) + n;
      return all;
    }, {}),
    inFlight: runs[0].inFlight,
    firstError: runs.find((run) => run.firstError)?.firstError ?? null,
  };
}

/** a ÷ b per round (the two ran side by side in it), then the median and spread of those ratios. */
function roundRatios(a, b, pick = (run) => run.rps) {
  if (!a?.length || !b?.length) return null;
  return spread(a.map((run, i) => (b[i] && pick(b[i]) > 0 ? pick(run) / pick(b[i]) : null)));
}

/** The newest `npm run bench:cleanup` result, if one was run on this checkout. */
function latestCleanupBench() {
  if (!existsSync(OUT_DIR)) return null;
  const files = readdirSync(OUT_DIR).filter((f) => /^cleanup-.*\.json$/.test(f)).sort();
  if (files.length === 0) return null;
  try {
    return { file: join('dist', 'bench', files[files.length - 1]), ...JSON.parse(readFileSync(join(OUT_DIR, files[files.length - 1]), 'utf8')) };
  } catch {
    return null;
  }
}

function latestProfile() {
  const dir = join(OUT_DIR, 'profiles');
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return files.length ? join(dir, files[files.length - 1]) : null;
}

const fmt = (n, digits = 0) => (n === null || n === undefined ? 'n/a' : n.toFixed(digits));
const shown = (sp, digits = 0, unit = '') => (sp ? `${fmt(sp.median, digits)}${unit} (${fmt(sp.min, digits)}–${fmt(sp.max, digits)})` : 'n/a');

function goal(name, value, { atMost = false, digits = 2, unit = '' } = {}) {
  const { goal: target, was } = GOALS[name];
  const figure = value && typeof value === 'object' ? value.median : value;
  const met = figure === null || figure === undefined ? null : atMost ? figure <= target : figure >= target;
  return {
    name,
    was,
    now: value && typeof value === 'object' ? shown(value, digits, unit) : figure === null || figure === undefined ? 'n/a' : `${fmt(figure, digits)}${unit}`,
    value: figure ?? null,
    goal: `${atMost ? '≤' : '≥'} ${target}${unit}`,
    status: met === null ? 'n/a' : met ? 'met' : 'NOT met',
    met,
  };
}

function buildReport(r) {
  const x = r.rounds;
  const res = Object.fromEntries(Object.entries(x).map(([k, runs]) => [k, summariseRounds(runs)]));
  const onPostgres = r.db.kind === 'postgres';
  const p99Ratio = roundRatios(x.refresh, x.rawRefresh, (run) => run.p99);
  const cleanup = r.cleanup;
  const goals = [
    goal('meOverProviders', roundRatios(x.me, x.providers)),
    goal('meOverGuardApp', roundRatios(x.me, x.guard)),
    goal('meOverHello', roundRatios(x.me, x.hello), { digits: 3 }),
    goal('refreshOverRaw', roundRatios(x.refresh, x.rawRefresh)),
    goal('refreshP99OverRaw', p99Ratio, { atMost: true }),
    goal('loginOverArgon', roundRatios(x.login, x.argon)),
    onPostgres ? goal('postgresColdStartMs', r.coldStartMs, { atMost: true, digits: 0, unit: ' ms' }) : goal('pgliteColdStartMs', r.coldStartMs, { atMost: true, digits: 0, unit: ' ms' }),
    onPostgres ? goal('postgresIdleRssMb', r.idleMemory.rssMb, { atMost: true, digits: 0, unit: ' MB' }) : goal('pgliteIdleRssMb', r.idleMemory.rssMb, { atMost: true, digits: 0, unit: ' MB' }),
    goal('cleanupP99Ratio', cleanup?.goals?.p99Ratio?.value ?? null, { atMost: true }),
    goal('cleanupLongestStatementMs', cleanup?.goals?.longestStatementMs?.value ?? null, { atMost: true, digits: 0, unit: ' ms' }),
  ];
  const rows = [];
  const run = (metric, summary, unit = 'rps', note) =>
    summary &&
    rows.push({
      metric,
      value: `${shown(summary.rps)} ${unit}`,
      p99: shown(summary.p99, 1),
      cpu: summary.serverCpuMsPerReq === null ? undefined : `${summary.serverCpuMsPerReq} (${summary.serverMainCpuMsPerReq})`,
      note: note ?? counts(summary),
    });
  run('bare node:http hello (ceiling)', res.hello);
  run('GET /auth/providers (public, no I/O)', res.providers);
  run('GET /auth/me (access cookie)', res.me);
  run('hand-written Nest guard app GET /profile', res.guard, 'rps', '@nestjs/jwt global guard, KeyObject secret, Express');
  run(`POST /auth/refresh (${S.connections} sessions)`, res.refresh);
  run(`raw ${r.db.kind} rotation tx (issue's shape)`, res.rawRefresh, 'tx/s', onPostgres ? 'pg.Pool(10) like the server, same database, own process' : 'PGlite in its own process, on a copy of the server’s data');
  run(`raw ${r.db.kind} app rotation statement`, res.rawStatement, 'tx/s', 'the server’s one statement, prepared, no HTTP: what the rest of the stack costs');
  run('POST /auth/login', res.login);
  run('raw argon2id verify (m=19456,t=2,p=1)', res.argon, '/s', res.argon && `${res.argon.inFlight} in flight, own process`);
  rows.push({ metric: 'cold start to first 200', value: `${round(r.coldStartMs)} ms`, note: onPostgres ? 'fresh database: migrations' : 'fresh data dir' });
  rows.push({ metric: 'idle RSS after start', value: `${round(r.idleMemory.rssMb)} MB`, note: `peak so far ${round(r.idleMemory.peakRssMb)} MB` });
  rows.push({ metric: 'restart to first 200', value: `${round(r.warmStartMs)} ms`, note: 'existing database, nothing to migrate' });
  rows.push({ metric: 'server RSS after the run', value: `${round(r.memory.rssMb)} MB`, note: `peak ${round(r.memory.peakRssMb)} MB` });
  rows.push({ metric: 'SIGTERM to exit', value: `${round(r.shutdown.ms)} ms`, note: `exit ${r.shutdown.code ?? r.shutdown.signal}` });
  return {
    when: new Date().toISOString(),
    database: r.db.kind,
    node: process.version,
    cores: cpus().length,
    connections: S.connections,
    rounds: S.rounds,
    durationSeconds: S.duration,
    phases: [...S.only],
    goals: Object.fromEntries(goals.map((g) => [g.name, g])),
    cleanupBench: cleanup ? { file: cleanup.file, when: cleanup.when } : null,
    results: {
      ...res,
      coldStartMs: round(r.coldStartMs, 0),
      idleMemory: { rssMb: round(r.idleMemory.rssMb, 1), peakRssMb: round(r.idleMemory.peakRssMb, 1) },
      warmStartMs: round(r.warmStartMs, 0),
      memory: { rssMb: round(r.memory.rssMb, 1), peakRssMb: round(r.memory.peakRssMb, 1) },
      shutdown: r.shutdown,
      serverLogLines: r.logLines,
    },
    rows,
    goalRows: goals,
  };
}

function counts(run) {
  const bad = [];
  if (run.non2xx) bad.push(`${run.non2xx} non-2xx ${JSON.stringify(Object.fromEntries(Object.entries(run.statuses ?? {}).filter(([c]) => !c.startsWith('2'))))}`);
  if (run.errors) bad.push(`${run.errors} errors/timeouts`);
  return bad.join(', ') || undefined;
}

const GOAL_LABELS = {
  meOverProviders: 'GET /auth/me ÷ GET /auth/providers',
  meOverGuardApp: 'GET /auth/me ÷ hand-written Nest guard app',
  meOverHello: 'GET /auth/me ÷ bare node:http',
  refreshOverRaw: 'refresh ÷ raw pg transaction (same shape)',
  refreshP99OverRaw: 'refresh p99 ÷ raw transaction’s p99',
  loginOverArgon: 'login ÷ raw argon2id verify',
  pgliteColdStartMs: 'PGlite first start to first 200',
  pgliteIdleRssMb: 'PGlite idle RSS',
  postgresColdStartMs: 'PostgreSQL cold start to first 200',
  postgresIdleRssMb: 'PostgreSQL idle RSS',
  cleanupP99Ratio: 'refresh p99 during cleanup ÷ without (bench:cleanup)',
  cleanupLongestStatementMs: 'longest cleanup statement (bench:cleanup)',
};

function table(header, cells) {
  const cell = (v) => (v === undefined || v === null ? '' : String(v));
  const body = cells.map((row) => row.map(cell));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (row) => '| ' + row.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

function print(report) {
  const out = [
    `Latchkey bench — ${report.database}, ${report.cores} cores, node ${report.node}, ${report.connections} connections, median of ${report.rounds} alternating rounds of ${report.durationSeconds} s (min–max), load average ${report.loadAverage1m.before} → ${report.loadAverage1m.after}`,
    '',
    table(
      ['metric', 'value: median (min–max)', 'p99 ms', 'server CPU ms/req (main thread)', 'note'],
      report.rows.map((row) => [row.metric, row.value, row.p99, row.cpu, row.note]),
    ),
    '',
    table(
      ['goal (issue 14)', 'was', 'now: median (min–max)', 'goal', 'status'],
      report.goalRows.map((g) => [GOAL_LABELS[g.name], g.was, g.now, g.goal, g.status]),
    ),
  ];
  if (report.cleanupBench) out.push(`(cleanup figures from ${report.cleanupBench.file}, ${report.cleanupBench.when})`);
  else out.push('(cleanup figures: run `npm run bench:cleanup` on PostgreSQL)');
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
