#!/usr/bin/env node
// The benchmark's floors, each run by bench.mjs in a process of its own:
//   {"kind":"argon", "seconds":3, "warmup":1}
//   {"kind":"postgres", "shape":"transaction"|"statement", "databaseUrl":"postgres://…", "tokens":[…], "seconds":5, "warmup":1}
//   {"kind":"pglite", "shape":"transaction"|"statement", "dataDir":"/tmp/…", "tokens":[…], "seconds":5, "warmup":1}
// Prints one JSON object: {rps, p50, p99, ok, errors}.
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import pg from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The server's parameters (libs/auth/nest/src/lib/passwords/password-hasher.ts). */
// algorithm 2 is Argon2id (`Algorithm` is a TypeScript const enum, empty at run time).
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/**
 * The baseline: a plain transaction of the rotation's shape, one
 * statement per step: lock the token and its session, mark the token used,
 * insert the new one, touch the session.
 */
const ROTATION_SQL = {
  lock: `SELECT t.id AS token_id, t.used_at, s.id AS session_id, s.user_id, s.expires_at, s.absolute_expires_at, s.revoked_at
           FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
          WHERE t.token_hash = $1
            FOR UPDATE OF s, t`,
  markUsed: `UPDATE refresh_tokens SET used_at = $2 WHERE id = $1`,
  insert: `INSERT INTO refresh_tokens (session_id, token_hash, issued_at) VALUES ($1, $2, $3) RETURNING id`,
  // The session names its live token, as the server's statement keeps it: both shapes then run on the same sessions.
  touch: `UPDATE sessions SET last_used_at = $2, expires_at = $3, user_agent = COALESCE($4, user_agent), ip_address = COALESCE($5::inet, ip_address),
                 live_token_id = $6, live_since = $2 WHERE id = $1`,
};

const sha256 = (token) => createHash('sha256').update(token).digest();

/**
 * The server's own rotation: its one statement, prepared, read from its
 * source so that the two never differ.
 */
function appRotationStatement() {
  const source = readFileSync(join(ROOT, 'libs', 'auth', 'nest', 'src', 'lib', 'sessions', 'session.store.ts'), 'utf8');
  const match = /new PreparedStatement<RotationRow>\(\s*'([^']+)',\s*`([^`]+)`/.exec(source);
  if (!match) throw new Error('the rotation statement was not found in session.store.ts');
  const channel = /REVOCATION_CHANNEL = '([^']+)'/.exec(source)?.[1];
  return { name: match[1], text: match[2].replaceAll('${REVOCATION_CHANNEL}', channel) };
}

/** One rotation of `current` into `fresh`, in the transaction shape. */
const inTransaction = (transact) => (current, fresh) =>
  transact(async (q) => {
    const now = new Date();
    const [row] = await q(ROTATION_SQL.lock, [sha256(current)]);
    if (!row) throw new Error('token not found');
    await q(ROTATION_SQL.markUsed, [row.token_id, now]);
    const [issued] = await q(ROTATION_SQL.insert, [row.session_id, sha256(fresh), now]);
    await q(ROTATION_SQL.touch, [row.session_id, now, new Date(now.getTime() + 7_776_000_000), 'bench', '127.0.0.1', issued.id]);
  });

/** One rotation with the server's statement (30 s grace, 90-day idle limit as configured by default). */
const inOneStatement = (run) => async (current, fresh) => {
  const [row] = await run([sha256(current), sha256(fresh), new Date(), 30, 7_776_000, 'bench', '127.0.0.1']);
  if (row?.outcome !== 'rotated') throw new Error(`not rotated: ${row?.outcome ?? 'token not found'}`);
};

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** One loop per token, each rotating its own session with `rotate(current, fresh)` for `seconds`. */
async function rotations(tokens, seconds, rotate) {
  const latencies = [];
  let errors = 0;
  let firstError = null;
  const started = Date.now();
  const until = started + seconds * 1000;
  const loop = async (index) => {
    let current = tokens[index];
    while (Date.now() < until) {
      const t0 = performance.now();
      const fresh = randomBytes(32).toString('base64url');
      try {
        await rotate(current, fresh);
        current = fresh;
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= error.message;
      }
    }
    tokens[index] = current;
  };
  await Promise.all(tokens.map((_t, i) => loop(i)));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), ok: latencies.length, errors, firstError };
}

/** Warms up on a few sessions, then measures on all; returns each session's newest token for a next round. */
async function warmThenMeasure(tokens, seconds, warmup, rotate) {
  const all = [...tokens];
  if (warmup > 0) {
    const warm = all.slice(0, 10);
    await rotations(warm, warmup, rotate);
    all.splice(0, warm.length, ...warm);
  }
  const result = await rotations(all, seconds, rotate);
  return { ...result, tokens: all };
}

async function postgres({ shape, databaseUrl, tokens, seconds, warmup }) {
  // The server's pool: 10 connections (libs/auth/nest/src/lib/database/data-source.ts).
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  try {
    const transact = async (work) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await work(async (sql, params) => (await client.query(sql, params)).rows);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
    const statement = shape === 'statement' ? appRotationStatement() : null;
    const rotate = statement ? inOneStatement(async (values) => (await pool.query({ ...statement, values })).rows) : inTransaction(transact);
    return await warmThenMeasure(tokens, seconds, warmup, rotate);
  } finally {
    await pool.end();
  }
}

/** PGlite is one process's: this opens the server's data dir after the server stopped. */
async function pglite({ shape, dataDir, tokens, seconds, warmup }) {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(join(dataDir, 'pgdata'));
  try {
    // One connection, like the server's pool of one: transactions queue on PGlite's own lock.
    const transact = (work) => db.transaction((tx) => work(async (sql, params) => (await tx.query(sql, params)).rows));
    const statement = shape === 'statement' ? appRotationStatement() : null;
    const rotate = statement ? inOneStatement(async (values) => (await db.query(statement.text, values)).rows) : inTransaction(transact);
    return await warmThenMeasure(tokens, seconds, warmup, rotate);
  } finally {
    await db.close();
  }
}

/** argon2id verifications per second, as many in flight as the libuv pool runs (the server's situation). */
async function argon({ seconds, warmup }) {
  const password = 'bench-password-1234';
  const encoded = await argonHash(password, ARGON2ID);
  const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const run = async (ms) => {
    let done = 0;
    const started = Date.now();
    const until = started + ms;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (Date.now() < until) {
          if (!(await argonVerify(encoded, password))) throw new Error('argon2 verify failed');
          done++;
        }
      }),
    );
    return done / ((Date.now() - started) / 1000);
  };
  await run(warmup * 1000);
  return { rps: await run(seconds * 1000), inFlight };
}

const job = JSON.parse(process.argv[2] ?? '{}');
const jobs = { argon, postgres, pglite };
if (!jobs[job.kind]) {
  console.error(`unknown baseline ${job.kind}; expected one of ${Object.keys(jobs).join(', ')}`);
  process.exit(2);
}
const result = await jobs[job.kind](job);
process.stdout.write(JSON.stringify(result) + '\n');
