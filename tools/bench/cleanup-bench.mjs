#!/usr/bin/env node
// `npm run bench:cleanup`: refresh latency while the session cleanup runs, on a
// PostgreSQL database seeded to 1 M sessions / 5 M refresh tokens with a backlog
// of stale rows. Drives the BUILT server (dist/apps/api/main.js; build first with
// `NX_DAEMON=false npx nx build api`), prints one table and writes it as JSON to
// dist/bench/cleanup-<time>.json. DATABASE_URL is required (PGlite is one
// process: there is no second instance to clean while the first serves).
//
// The cleanup is triggered from outside, as a deployment would see it: each
// "with cleanup" round starts a second server on the same database, whose first
// cleanup comes 1–2 min after its start; the round measures while that
// instance holds the cleanup's advisory lock (seen in pg_locks), then stops it
// with SIGTERM (it finishes its current statement, logs what it deleted and lets
// go of the lock), leaving the rest of the backlog for the next round; the last
// round measures until its run has cleared the backlog.
//
// Knobs: BENCH_DURATION seconds per measured run (default 10), BENCH_CONNECTIONS
// (50), BENCH_ROUNDS (3), BENCH_SESSIONS (1000000; 5 refresh tokens each),
// BENCH_OLD=0 skips timing the statements the cleanup ran before issue 14.
import autocannon from 'autocannon';
import pg from 'pg';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { API, createSessions, freePort, positive, round, setCookies, sleep, XSRF } from './bench-kit.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER_MAIN = join(ROOT, 'dist', 'apps', 'api', 'main.js');
const OUT_DIR = join(ROOT, 'dist', 'bench');
const JWT_SECRET = 'bench-secret-0123456789-0123456789-0123456789';
const S = {
  duration: positive('BENCH_DURATION', 10),
  connections: positive('BENCH_CONNECTIONS', 50),
  rounds: positive('BENCH_ROUNDS', 3),
  sessions: positive('BENCH_SESSIONS', 1_000_000),
  old: process.env.BENCH_OLD !== '0',
};
const GOALS = { p99Ratio: 1.2, longestStatementMs: 200 };
/** The servers' first cleanup comes 1–2 min after their start (SessionCleanup): how long to wait for one. */
const FIRST_RUN_WITHIN_MS = 130_000;
/** What the server's statement timeout is (QUERY_TIMEOUT_MS): an old statement longer than this never finished there. */
const SERVER_STATEMENT_TIMEOUT_MS = 5000;


const log = (line) => process.stderr.write(`[cleanup-bench] ${line}\n`);
const max = (values) => (values.length ? Math.max(...values) : null);
const sum = (values) => values.reduce((n, v) => n + v, 0);



// ───────────────────────────── the database ─────────────────────────────

async function connect(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function freshDatabase(serverUrl) {
  const name = `lk_bench_cleanup_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = await connect(serverUrl);
  await admin.query(`CREATE DATABASE "${name}"`).finally(() => admin.end());
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const again = await connect(serverUrl);
      await again.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch((e) => log(`could not drop ${name}: ${e.message}`));
      await again.end();
    },
  };
}

/** The cleanup's advisory lock key, read from the server's source as bench.mjs reads its rotation statement. */
function cleanupLockKey() {
  const source = readFileSync(join(ROOT, 'libs', 'auth', 'nest', 'src', 'lib', 'sessions', 'session.store.ts'), 'utf8');
  const match = /CLEANUP_LOCK_KEY = '(-?\d+)'/.exec(source);
  if (!match) throw new Error('CLEANUP_LOCK_KEY was not found in session.store.ts');
  return match[1];
}

/**
 * `sessions` sessions with 5 refresh tokens each. Ids and hashes ascend with
 * the row so each index fills at its end (quick to seed); instants ascend
 * with it too, as they do in a real table (rows are written as time passes).
 * The backlog: 20 % of sessions expired, 10 % revoked a day or more ago (all
 * their tokens used long ago, bar the last), and 3 of the 4 used tokens of each
 * live session used more than 14 days ago; the rest must stay.
 */
async function seed(client, sessions) {
  await client.query(
    `INSERT INTO sessions (id, user_id, user_agent, ip_address, created_at, last_used_at, expires_at, absolute_expires_at, revoked_at, revoked_reason)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, md5((i % 200000)::text)::uuid, 'Mozilla/5.0 (bench)', '203.0.113.7',
            now() - interval '120 days',
            CASE WHEN i % 10 < 2 THEN now() - interval '100 days' ELSE now() - interval '1 hour' END,
            CASE WHEN i % 10 < 2 THEN now() - interval '60 days' + interval '59 days' * i / $1 ELSE now() + interval '1 day' + interval '88 days' * i / $1 END,
            now() + interval '245 days',
            CASE WHEN i % 10 = 2 THEN now() - interval '30 days' + interval '29 days' * i / $1 END,
            CASE WHEN i % 10 = 2 THEN 'logout' END
       FROM generate_series(1, $1::int) i`,
    [sessions],
  );
  await client.query(
    `INSERT INTO refresh_tokens (id, session_id, token_hash, issued_at, used_at)
     SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i * 8 + k), 12, '0'))::uuid,
            ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
            decode(lpad(to_hex(i * 8 + k), 64, '0'), 'hex'),
            now() - interval '110 days' + interval '1 day' * k,
            CASE WHEN k = 5 THEN NULL
                 WHEN k = 4 AND i % 10 >= 3 THEN now() - interval '13 days' + interval '12 days' * i / $1
                 ELSE now() - interval '100 days' + interval '84 days' * i / $1 + interval '1 hour' * k END
       FROM generate_series(1, $1::int) i, LATERAL generate_series(1, 5) k`,
    [sessions],
  );
  // Autovacuum is off on this cluster; a deployment's would have run.
  await client.query(`VACUUM ANALYZE sessions, refresh_tokens`);
}

/** What is stale by the server's defaults (ACCESS_TOKEN_TTL_SECONDS 1800, 14 days' used tokens). */
async function staleRows(client) {
  const { rows } = await client.query(
    `SELECT (SELECT count(*) FROM sessions WHERE expires_at < now() OR revoked_at < now() - interval '1860 seconds')::int AS sessions,
            (SELECT count(*) FROM refresh_tokens WHERE used_at < now() - interval '14 days')::int AS tokens,
            (SELECT count(*) FROM sessions)::int AS "allSessions", (SELECT count(*) FROM refresh_tokens)::int AS "allTokens"`,
  );
  return rows[0];
}

/** The statements the cleanup ran before issue 14, each timed with EXPLAIN ANALYZE, in a transaction rolled back. */
async function timeOldStatements(client) {
  const statements = {
    sessions: `DELETE FROM sessions WHERE expires_at < $1 OR absolute_expires_at < $1 OR revoked_at < $2`,
    tokens: `DELETE FROM refresh_tokens WHERE used_at < $1`,
    tombstones: `DELETE FROM session_tombstones WHERE revoked_at < $1`,
  };
  const now = new Date();
  const revokedBefore = new Date(now.getTime() - 1860_000);
  const usedBefore = new Date(now.getTime() - 14 * 86_400_000);
  const params = { sessions: [now, revokedBefore], tokens: [usedBefore], tombstones: [revokedBefore] };
  const out = {};
  await client.query('BEGIN');
  try {
    for (const [name, sql] of Object.entries(statements)) {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params[name]);
      const [plan] = rows[0]['QUERY PLAN'];
      const scan = plan.Plan.Plans?.[0];
      out[name] = {
        ms: round(plan['Execution Time'], 1),
        rows: scan?.['Actual Rows'] ?? null,
        scan: scan?.['Node Type'] ?? null,
        cascadeMs: round(sum((plan.Triggers ?? []).map((t) => t.Time)), 1),
      };
    }
  } finally {
    await client.query('ROLLBACK');
  }
  return out;
}

/** Polls pg_locks for an advisory lock held in this database by anyone but the poller. */
async function watchCleanupLock(url) {
  const client = await connect(url);
  const samples = [];
  let isStopped = false;
  const loop = (async () => {
    while (!isStopped) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND pid <> pg_backend_pid()`,
      );
      samples.push({ at: Date.now(), isHeld: rows[0].n > 0 });
      await sleep(50);
    }
  })();
  const isHeldNow = () => samples.at(-1)?.isHeld ?? false;
  return {
    isHeldNow,
    wasHeldBetween: (from, to) => samples.some((s) => s.at >= from && s.at <= to && s.isHeld),
    async until(isHeld, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (isHeldNow() !== isHeld) {
        if (Date.now() > deadline) throw new Error(`the cleanup lock was not ${isHeld ? 'taken' : 'released'} within ${timeoutMs} ms`);
        await sleep(20);
      }
    },
    async stop() {
      isStopped = true;
      await loop;
      await client.end();
    },
  };
}

// ───────────────────────────── the servers ─────────────────────────────

async function startApi(databaseUrl, name) {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build first (NX_DAEMON=false npx nx build api)`);
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-cleanup-bench-'));
  mkdirSync(OUT_DIR, { recursive: true });
  const logFile = join(OUT_DIR, `cleanup-server-${name}.log`);
  const logFd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: ROOT,
    // As bench.mjs runs it: development, what a deployment logs.
    env: { PATH: process.env.PATH, PORT: String(port), ENV: 'development', NODE_ENV: 'production', LOG_LEVEL: 'log', API_DOCS: 'false', DATA_DIR: dataDir, DATABASE_URL: databaseUrl, JWT_SECRET },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const output = () => readFileSync(logFile, 'utf8');
  const exited = new Promise((r) => child.once('exit', (code, signal) => r(code ?? signal)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server ${name} exited with ${child.exitCode}:\n${output().slice(-4000)}`);
    if (Date.now() > deadline) throw new Error(`server ${name} did not answer within 60 s`);
    if (await fetch(`${url}${API}/health`).then((r) => r.status === 200, () => false)) break;
    await sleep(50);
  }
  return {
    url,
    /** The cleanup lines it logged, parsed. */
    cleanups: () => [...output().matchAll(/\{"event":"cleanup".*?\}/g)].map((m) => JSON.parse(m[0])),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      await rm(dataDir, { recursive: true, force: true });
      return code;
    },
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
  };
}



/**
 * Refresh rotations as in bench.mjs: every connection owns one session and
 * presents the newest token it was given. Runs `seconds`, or until `stopWhen` resolves.
 */
function refreshRun(url, sessions, seconds, stopWhen) {
  return new Promise((resolveRun, reject) => {
    let next = 0;
    let refused = 0;
    let isOver = false;
    const started = Date.now();
    const instance = autocannon(
      {
        url: `${url}${API}/auth/refresh`,
        method: 'POST',
        connections: S.connections,
        duration: seconds,
        setupClient(client) {
          const session = sessions[next++ % sessions.length];
          client.setRequests([
            {
              method: 'POST',
              path: `${API}/auth/refresh`,
              setupRequest: (req) => ({ ...req, headers: { cookie: `XSRF-TOKEN=${XSRF}; ${session.refreshName}=${session.refresh}`, 'x-xsrf-token': XSRF } }),
              onResponse: (status, _body, _context, headers) => {
                // A late answer would undo the settling below.
                if (isOver) return;
                if (status !== 200) return void refused++;
                const fresh = Object.entries(setCookies(headers)).find(([n]) => n.endsWith('refresh_token'))?.[1];
                if (fresh) session.refresh = fresh;
              },
            },
          ]);
        },
      },
      (error, result) => {
        isOver = true;
        if (error) return reject(error);
        const to = Date.now();
        const seconds = (to - started) / 1000;
        const run = { from: started, to, seconds: round(seconds, 1), rps: round(result['2xx'] / seconds), p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max, refused, errors: result.errors + result.timeouts };
        settle(url, sessions).then(() => resolveRun(run), reject);
      },
    );
    stopWhen?.then(() => instance.stop());
  });
}

/**
 * A run ends with requests in flight whose answers (the next tokens) were never
 * read: once the server is done with them, present each session's last known
 * token once more, within the reuse grace, so no session holds a token that
 * would count as theft at the next run.
 */
async function settle(url, sessions) {
  await sleep(1000);
  await Promise.all(
    sessions.map(async (session) => {
      const res = await fetch(`${url}${API}/auth/refresh`, {
        method: 'POST',
        headers: { cookie: `XSRF-TOKEN=${XSRF}; ${session.refreshName}=${session.refresh}`, 'x-xsrf-token': XSRF },
      });
      if (res.status !== 200) throw new Error(`settling a session: refresh answered ${res.status}`);
      session.refresh = setCookies({ 'set-cookie': res.headers.getSetCookie() })[session.refreshName];
    }),
  );
}

// ───────────────────────────── the run ─────────────────────────────

async function main() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    log('DATABASE_URL is not set: this bench needs PostgreSQL (PGlite is one process, with no second instance to clean); skipped.');
    return;
  }
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const db = await freshDatabase(serverUrl);
  log(`database ${db.name}; ${cpus().length} cores; node ${process.version}; ${S.connections} connections, ${S.duration} s runs, ${S.rounds} rounds, ${S.sessions} seeded sessions`);
  const servers = [];
  const onSignal = () => {
    for (const server of servers) server.kill();
    void db.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  const sql = await connect(db.url);
  let lock;
  try {
    const api = await startApi(db.url, 'measured');
    servers.push(api);
    // Held while seeding, so the measured server's own first cleanup finds it taken and skips.
    const holder = await connect(db.url);
    await holder.query(`SELECT pg_advisory_lock($1::bigint)`, [cleanupLockKey()]);
    const apiStartedAt = Date.now();
    const { sessions } = await createSessions(api.url, S.connections);
    log(`seeding ${S.sessions} sessions and ${5 * S.sessions} refresh tokens…`);
    const seedStarted = Date.now();
    await seed(sql, S.sessions);
    const seedSeconds = round((Date.now() - seedStarted) / 1000, 1);
    const seeded = await staleRows(sql);
    log(`seeded in ${seedSeconds} s: ${JSON.stringify(seeded)}`);
    await refreshRun(api.url, sessions, 2);

    let old = null;
    if (S.old) {
      log('the statements the cleanup ran before (EXPLAIN ANALYZE, rolled back), while refreshing…');
      const without = await refreshRun(api.url, sessions, S.duration);
      let done;
      const statementsDone = new Promise((r) => (done = r));
      const during = refreshRun(api.url, sessions, 600, statementsDone);
      await sleep(500);
      const statements = await timeOldStatements(sql).finally(done);
      old = { without, with: await during, statements };
      await sql.query(`VACUUM ANALYZE sessions, refresh_tokens`);
    }

    // Past the measured server's first cleanup (it skipped: the lock was held).
    await sleep(Math.max(0, apiStartedAt + FIRST_RUN_WITHIN_MS - Date.now()));
    await holder.end();
    lock = await watchCleanupLock(db.url);
    await sleep(200);
    if (lock.isHeldNow()) throw new Error('a cleanup is running before any round started');

    const rounds = [];
    for (let i = 1; i <= S.rounds; i++) {
      log(`round ${i}: a second server on the same database…`);
      const cleaner = await startApi(db.url, `cleaner-${i}`);
      servers.push(cleaner);
      await sleep(1000);
      log(`round ${i}: refresh without cleanup…`);
      const without = await refreshRun(api.url, sessions, S.duration);
      if (lock.wasHeldBetween(without.from, without.to)) throw new Error(`round ${i}: a cleanup ran during the run without one`);
      log(`round ${i}: waiting for its first cleanup (1–2 min after its start)…`);
      await lock.until(true, FIRST_RUN_WITHIN_MS);
      // The last round measures until the run is over: every kind of batch, under load, to the end of the backlog.
      const isLast = i === S.rounds;
      log(`round ${i}: refresh while it cleans${isLast ? ', to the end of the backlog' : ''}…`);
      const runEnds = lock.until(false, 30 * 60_000).catch(() => undefined);
      const withCleanup = await refreshRun(api.url, sessions, isLast ? 30 * 60 : S.duration, runEnds);
      const spansRun = isLast || lock.isHeldNow();
      // Stops after its current statement and logs what it deleted.
      await cleaner.stop();
      servers.splice(servers.indexOf(cleaner), 1);
      const [cleanup = null] = cleaner.cleanups();
      rounds.push({ without, with: withCleanup, spansRun, isComplete: isLast, cleanup });
      log(`round ${i}: p99 ${without.p99} → ${withCleanup.p99} ms; ${JSON.stringify(cleanup)}`);
    }

    const left = await staleRows(sql);
    await api.stop();
    servers.splice(0);

    const report = buildReport({ seeded, seedSeconds, old, rounds, left });
    report.loadAverage1m = { before: round(loadBefore, 2), after: round(loadavg()[0], 2) };
    report.totalSeconds = round((Date.now() - started) / 1000, 1);
    print(report);
    mkdirSync(OUT_DIR, { recursive: true });
    const file = join(OUT_DIR, `cleanup-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    log(`written to ${file} (${report.totalSeconds} s in all)`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    for (const server of servers) server.kill();
    await lock?.stop();
    await sql.end();
    await db.drop();
  }
}

function status(met) {
  return met === null ? 'n/a' : met ? 'met' : 'NOT met';
}

function buildReport({ seeded, seedSeconds, old, rounds, left }) {
  const p99Without = max(rounds.map((r) => r.without.p99));
  const p99With = max(rounds.map((r) => r.with.p99));
  const ratio = p99Without ? p99With / p99Without : null;
  // Each round's pair was measured back to back: the median of their ratios is the least moved by other load.
  const paired = rounds.map((r) => r.with.p99 / r.without.p99).sort((a, b) => a - b);
  const pairedMedian = paired.length ? paired[Math.floor((paired.length - 1) / 2)] : null;
  const runs = rounds.map((r) => r.cleanup).filter(Boolean);
  const longest = max(runs.map((c) => c.longestStatementMs));
  const deleted = { sessions: sum(runs.map((c) => c.sessions)), tokens: sum(runs.map((c) => c.tokens)), batches: sum(runs.map((c) => c.batches)), ms: sum(runs.map((c) => c.ms)) };
  const rows = [];
  rows.push({ metric: 'seeded (stale / all)', value: `${seeded.sessions} / ${seeded.allSessions} sessions, ${seeded.tokens} / ${seeded.allTokens} tokens`, note: `${seedSeconds} s` });
  if (old) {
    for (const [name, s] of Object.entries(old.statements)) {
      rows.push({ metric: `before: old ${name} DELETE`, value: `${s.ms} ms`, goal: `≤ ${GOALS.longestStatementMs} ms`, status: status(s.ms <= GOALS.longestStatementMs), note: `${s.scan}, ${s.rows} rows${s.cascadeMs ? `, cascade ${s.cascadeMs} ms` : ''}${s.ms > SERVER_STATEMENT_TIMEOUT_MS ? ', over the server’s 5 s statement timeout' : ''}` });
    }
    const oldRatio = old.with.p99 / old.without.p99;
    rows.push({ metric: 'before: refresh p99 without → during', value: `${old.without.p99} → ${old.with.p99} ms`, note: `${old.without.rps} → ${old.with.rps} rps over ${old.with.seconds} s` });
    rows.push({ metric: 'before: p99 ratio', value: round(oldRatio, 2), goal: `≤ ${GOALS.p99Ratio}`, status: status(oldRatio <= GOALS.p99Ratio) });
  }
  rounds.forEach((r, i) => {
    rows.push({ metric: `round ${i + 1}: refresh p99 without → with cleanup`, value: `${r.without.p99} → ${r.with.p99} ms`, note: `${r.without.rps} → ${r.with.rps} rps over ${r.with.seconds} s${r.isComplete ? ', the whole rest of the run' : r.spansRun ? '' : ', the run ended early'}${r.with.refused + r.without.refused ? `, ${r.with.refused + r.without.refused} refused` : ''}` });
  });
  rows.push({ metric: 'refresh p99 without cleanup (worst round)', value: `${p99Without} ms` });
  rows.push({ metric: 'refresh p99 with cleanup (worst round)', value: `${p99With} ms` });
  rows.push({ metric: 'p99 with ÷ without (worst rounds)', value: round(ratio, 2), goal: `≤ ${GOALS.p99Ratio}`, status: status(ratio === null ? null : ratio <= GOALS.p99Ratio), note: `median of the rounds’ own ratios ${round(pairedMedian, 2)} (${paired.map((r) => round(r, 2)).join(', ')})` });
  rows.push({ metric: 'longest cleanup statement', value: `${longest} ms`, goal: `≤ ${GOALS.longestStatementMs} ms`, status: status(longest === null ? null : longest <= GOALS.longestStatementMs), note: 'longestStatementMs of every run' });
  rows.push({ metric: 'backlog cleared (under refresh load)', value: `${deleted.sessions} sessions, ${deleted.tokens} used tokens`, note: `${deleted.batches} batches, ${round(deleted.ms / 1000, 1)} s of runs; stale left: ${left.sessions} sessions, ${left.tokens} tokens` });
  return { when: new Date().toISOString(), node: process.version, cores: cpus().length, connections: S.connections, durationSeconds: S.duration, seeded, seedSeconds, goals: { p99Ratio: { value: round(ratio, 3), pairedMedian: round(pairedMedian, 3), goal: GOALS.p99Ratio }, longestStatementMs: { value: longest, goal: GOALS.longestStatementMs } }, old, rounds, left, rows };
}

function print(report) {
  const header = ['metric', 'value', 'goal', 'status', 'note'];
  const cell = (v) => (v === undefined || v === null ? '' : String(v));
  const table = report.rows.map((row) => [row.metric, cell(row.value), cell(row.goal), cell(row.status), cell(row.note)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  const out = [
    `Latchkey cleanup bench — postgres, ${report.cores} cores, node ${report.node}, ${report.connections} connections, ${report.durationSeconds} s runs, load average ${report.loadAverage1m.before} → ${report.loadAverage1m.after}`,
    line(header),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...table.map(line),
  ];
  process.stdout.write(out.join('\n') + '\n');
}

main().catch((error) => {
  console.error(`cleanup bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
