import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Agent, IncomingHttpHeaders, OutgoingHttpHeaders, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { apiPath, AuthPaths, DEV_COOKIE_NAMES, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import type { TestDatabase } from '@latchkey/auth-nest-testing';

/** What every fault test allows a request before calling it a hang. */
export const HANG_MS = 10_000;

export const PASSWORD = 'fault-test password 123';

export function uniqueEmail(tag: string): string {
  return `${tag}-${randomUUID()}@example.com`;
}

/** A client address of its own (servers started with TRUST_PROXY=true honour X-Forwarded-For). */
export function uniqueIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

/** The database's form of a refresh token: SHA-256 of the cookie value. */
export function tokenHash(refreshToken: string): Buffer {
  return createHash('sha256').update(refreshToken).digest();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `promise`, or a rejection naming `what` once `ms` have passed (the timer does not outlive it). */
export async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(everyMs);
  }
}

export interface Answer {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  body: unknown;
  text: string;
  headers: IncomingHttpHeaders;
  setCookies: string[];
  ms: number;
}

/**
 * Keep-alive connections, like a browser's, shared by every Browser of a test
 * file; `closeConnections()` in afterAll lets Jest exit.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export function closeConnections(): void {
  agent.destroy();
}

interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
  setCookies: string[];
  text: string;
}

/** One HTTP request over the shared agent; rejects (code ETIMEDOUT) after `timeoutMs` without a full answer. */
export function send(url: string, options: { method: string; headers: OutgoingHttpHeaders; body?: Buffer | string; timeoutMs?: number }): Promise<Sent> {
  return new Promise<Sent>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method, headers: options.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies: res.headers['set-cookie'] ?? [], text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })), options.timeoutMs ?? HANG_MS);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

/** A network-level failure (refused, reset, aborted after HANG_MS): no HTTP answer at all. */
export interface NoAnswer {
  status: 0;
  error: string;
  ms: number;
}

/**
 * One browser against a running server over real HTTP (fetch, keep-alive):
 * a cookie jar (dev cookie names, paths ignored), the double-submit XSRF pair,
 * and a hard time limit on every request.
 */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    readonly ip = uniqueIp(),
  ) {
    // Any value works for the double submit; a browser would have got one from a GET first.
    this.cookies.set(XSRF_COOKIE_NAME, randomBytes(16).toString('base64url'));
  }

  get accessToken(): string | undefined {
    return this.cookies.get(DEV_COOKIE_NAMES.access);
  }

  get refreshToken(): string | undefined {
    return this.cookies.get(DEV_COOKIE_NAMES.refresh);
  }

  /** Another tab: the same cookies, from here on kept apart. */
  fork(): Browser {
    const copy = new Browser(this.baseUrl, this.ip);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  /** `path` relative to /api/v1 (`auth/me`) or absolute (`/…`). */
  async request(method: string, path: string, body?: unknown, timeoutMs = HANG_MS): Promise<Answer> {
    const started = Date.now();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const res = await send(this.baseUrl + (path.startsWith('/') ? path : apiPath(path)), {
      method,
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        [XSRF_HEADER_NAME]: this.cookies.get(XSRF_COOKIE_NAME) ?? '',
        'x-forwarded-for': this.ip,
        ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
      },
      body: payload,
      timeoutMs,
    });
    for (const line of res.setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const cleared = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (cleared) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    let parsed: unknown = res.text;
    try {
      parsed = res.text ? JSON.parse(res.text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, text: res.text, headers: res.headers, setCookies: res.setCookies, ms: Date.now() - started };
  }

  /** Like `request`, but a network failure or a timeout is an answer with status 0. */
  async attempt(method: string, path: string, body?: unknown, timeoutMs = HANG_MS): Promise<Answer | NoAnswer> {
    const started = Date.now();
    try {
      return await this.request(method, path, body, timeoutMs);
    } catch (error) {
      return { status: 0, error: (error as NodeJS.ErrnoException).code ?? (error as Error).name ?? String(error), ms: Date.now() - started };
    }
  }

  register(email: string, password = PASSWORD) {
    return this.request('POST', AuthPaths.register, { email, password });
  }

  login(email: string, password = PASSWORD) {
    return this.request('POST', AuthPaths.login, { email, password });
  }

  refresh() {
    return this.request('POST', AuthPaths.refresh);
  }

  logout() {
    return this.request('POST', AuthPaths.logout);
  }

  me() {
    return this.request('GET', AuthPaths.me);
  }
}

/** `{statusCode, message, error}`, Nest's shape, with the given status. */
export function expectErrorShape(answer: Answer, status: number): void {
  expect({ status: answer.status, body: answer.body }).toEqual({
    status,
    body: expect.objectContaining({ statusCode: status, message: expect.anything(), error: expect.any(String) }),
  });
}

/** SQL straight on the test database, bypassing the server (and any proxy in front of it). */
export interface DbReader {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Reads the test database: a direct connection on PostgreSQL; on PGlite the
 * data directory itself, which only works once the server that had it open
 * has stopped (PGlite is one process's).
 */
export async function openDbReader(db: TestDatabase): Promise<DbReader> {
  if (db.databaseUrl) {
    const client = new Client({ connectionString: db.databaseUrl });
    await client.connect();
    return {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
      close: () => client.end(),
    };
  }
  const pglite = await PGlite.create(join(db.dataDir, 'pgdata'));
  return {
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    close: () => pglite.close(),
  };
}

/** Row counts of the auth tables. */
export async function rowCounts(query: DbReader['query']): Promise<Record<string, number>> {
  const [row] = await query<Record<string, string | number>>(
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
            (SELECT count(*) FROM refresh_tokens) AS refresh_tokens, (SELECT count(*) FROM external_identities) AS identities`,
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}
