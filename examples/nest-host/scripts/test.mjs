#!/usr/bin/env node
// Black-box run of the example: a fresh PostgreSQL database, the built server
// (`node dist/main.js`) on a free port, `node --test test/` against it, then the
// server stopped with SIGTERM and the database dropped. Exits with the tests' code.
//
//   npm run build && npm test          (PostgreSQL at PGHOST:PGPORT, user PGUSER, trust auth)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const EXAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
};
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const log = (message) => console.log(`[nest-host test] ${message}`);

async function admin(sql) {
  const client = new pg.Client({ ...PG, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForListening(baseUrl, server) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode} before it listened`);
    try {
      const res = await fetch(`${baseUrl}/svc/hello`);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  throw new Error(`the server did not listen within ${START_TIMEOUT_MS / 1000} s`);
}

function stop(server) {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve(server.exitCode);
  return new Promise((resolveStop) => {
    const started = Date.now();
    const timer = setTimeout(() => {
      log(`the server did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM: killing it`);
      server.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      log(`server stopped (${signal ?? `code ${code}`}) ${Date.now() - started} ms after SIGTERM`);
      // enableShutdownHooks closes the app, then re-raises the signal: death by SIGTERM is a clean stop.
      resolveStop(code === 0 || signal === 'SIGTERM' ? 0 : (code ?? 1));
    });
    server.kill('SIGTERM');
  });
}

function run(command, args, env) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: EXAMPLE, env, stdio: 'inherit' });
    child.once('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
  });
}

if (!existsSync(join(EXAMPLE, 'dist/main.js'))) {
  console.error('dist/main.js is missing: npm --prefix examples/nest-host run build');
  process.exit(1);
}

const database = `lk_example_${randomBytes(6).toString('hex')}`;
const mailDir = mkdtempSync(join(tmpdir(), 'nest-host-mail-'));
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  PGHOST: PG.host,
  PGPORT: String(PG.port),
  PGUSER: PG.user,
  PGDATABASE: database,
  PORT: String(port),
  BASE_URL: baseUrl,
  JWT_SECRET: randomBytes(48).toString('base64url'),
  MAIL_DIR: mailDir,
  NODE_ENV: 'development',
};

let exitCode = 1;
let server;
const startedAt = Date.now();
await admin(`CREATE DATABASE "${database}"`);
log(`created database ${database}`);
try {
  server = spawn(process.execPath, ['--require', './scripts/only-local-modules.cjs', 'dist/main.js'], { cwd: EXAMPLE, env, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForListening(baseUrl, server);
  log(`server listening on ${baseUrl} after ${Date.now() - startedAt} ms`);
  exitCode = await run(process.execPath, ['--test', '--test-reporter=spec', 'test/'], env);
  // ALSO_RUN: another suite against this server (the workspace runs the Angular host's browser test here), with API_ORIGIN set.
  if (exitCode === 0 && process.env.ALSO_RUN) {
    log(`running ${process.env.ALSO_RUN} against ${baseUrl}`);
    exitCode = await run('sh', ['-c', process.env.ALSO_RUN], { ...env, API_ORIGIN: baseUrl });
  }
} catch (error) {
  console.error(`[nest-host test] ${error instanceof Error ? error.message : String(error)}`);
  exitCode = 1;
} finally {
  if (server) {
    const code = await stop(server);
    if (code !== 0 && exitCode === 0) {
      log(`the server exited with ${code} on SIGTERM (expected 0)`);
      exitCode = 1;
    }
  }
  await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch((error) => log(`could not drop ${database}: ${error.message}`));
  log(`dropped database ${database}`);
  rmSync(mailDir, { recursive: true, force: true });
}
log(`${exitCode === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
process.exit(exitCode);
