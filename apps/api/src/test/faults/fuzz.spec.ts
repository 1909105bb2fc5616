import fc from 'fast-check';
import { createHmac, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { AuthPaths, DEV_COOKIE_NAMES, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { DataSource } from 'typeorm';
import { Browser, closeConnections, HANG_MS, PASSWORD, uniqueEmail } from '../harness';
import { startTestApp, TestApp } from '../test-app';

/**
 * Property-based bad input across every endpoint: random JSON shapes, types,
 * sizes and unicode; random header and cookie values; JWT-looking strings
 * (alg none, other keys, expired, odd claims). The contract: a 4xx in Nest's
 * shape (or a success), never a 5xx, never a stack trace, and the database
 * unchanged whenever the request was refused.
 *
 * Deterministic: a fixed seed (FC_SEED overrides it, FC_RUNS the number of runs).
 */
const RUNS = Number(process.env['FC_RUNS'] ?? 300);
const SEED = Number(process.env['FC_SEED'] ?? 20_251_126);

// ───────────────────────────── a raw HTTP client ─────────────────────────────

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}

/**
 * Writes the request byte for byte (fetch and node:http refuse many of the
 * header values worth trying) and reads the whole answer (`Connection: close`).
 */
function rawRequest(port: number, method: string, target: string, headers: [string, string][], body: Buffer | undefined): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const lines = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...headers.map(([k, v]) => `${k}: ${v}`)];
    if (body) lines.push(`Content-Length: ${body.length}`);
    const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1');
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${HANG_MS} ms: ${method} ${target}`)), HANG_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      // The server may close after answering early (413, 400) while we still write: keep the answer.
      if (chunks.length && (error as NodeJS.ErrnoException).code === 'EPIPE') return;
      if (chunks.length && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return finish();
      reject(error);
    });
    socket.on('end', () => finish());
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const split = raw.indexOf('\r\n\r\n');
      const headText = raw.subarray(0, split < 0 ? raw.length : split).toString('latin1');
      const [statusLine, ...headerLines] = headText.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      const parsed: Record<string, string> = {};
      for (const line of headerLines) {
        const at = line.indexOf(':');
        const key = line.slice(0, at).trim().toLowerCase();
        parsed[key] = parsed[key] ? `${parsed[key]}, ${line.slice(at + 1).trim()}` : line.slice(at + 1).trim();
      }
      let rest: Buffer = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
      if (/chunked/i.test(parsed['transfer-encoding'] ?? '')) rest = dechunk(rest);
      resolve({ status, headers: parsed, body: rest.toString('utf8'), ms: Date.now() - started });
    };
    socket.write(body ? Buffer.concat([head, body]) : head);
  });
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

// ───────────────────────────── generators ─────────────────────────────

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function jwt(header: object, claims: object, key: string | null): string {
  const unsigned = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return key === null ? `${unsigned}.` : `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
}

/** Header-safe text: printable ASCII plus bytes 0x80–0xFF (UTF-8 of any unicode, sent as is). */
const headerText = (maxLength = 200) =>
  fc.oneof(
    fc.string({ maxLength, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
    fc.string({ maxLength: maxLength / 4, unit: 'grapheme' }).map((s) => Buffer.from(s, 'utf8').toString('latin1')),
    fc.constantFrom('', ' ', '\t', '=', ';', '"', '%', '%00', '\\', 'null', 'undefined', '[object Object]', '{}', '$ne', '../../etc/passwd', 'A'.repeat(4000)),
  );

/** `arbitrary` with probability `p`, else null. */
const sometimes = <T>(p: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: Math.round(p * 100), arbitrary }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) });

const anyJson = fc.jsonValue({ maxDepth: 4 });
const oddValue = fc.oneof(
  anyJson,
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(null, true, 0, -1, 1e308, '', ' ', '\u0000', '😀'.repeat(200), 'a@b', '@', 'x'.repeat(300) + '@example.com', ['a@b.c'], { $gt: '' }),
);

/** Bodies, as the bytes to send. */
function bodies(validEmail: string) {
  return fc.oneof(
    { weight: 3, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
    {
      weight: 4,
      arbitrary: fc
        .record(
          { email: fc.oneof(oddValue, fc.constant(validEmail)), password: oddValue, name: oddValue, extra: oddValue, constructor: oddValue },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    },
    { weight: 2, arbitrary: fc.record({ email: fc.constant(validEmail), password: fc.string({ unit: 'grapheme', maxLength: 200 }) }).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 500 }) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"email":', '[', 'null', '"', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\u0000', '{"email":"a@b.c","password":"12345678",}') },
    // Around the 100 KB limit: some pass the parser, some get 413.
    { weight: 1, arbitrary: fc.integer({ min: 90 * 1024, max: 140 * 1024 }).map((n) => JSON.stringify({ email: validEmail, password: 'p'.repeat(n) })) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

interface Scenario {
  method: string;
  target: string;
  headers: [string, string][];
  body: Buffer | undefined;
}

// ───────────────────────────── the property ─────────────────────────────

describe('fuzzed input across every endpoint', () => {
  let t: TestApp;
  let port: number;
  let validEmail: string;
  let valid: Browser;
  let fingerprint: () => Promise<string>;

  beforeAll(async () => {
    t = await startTestApp();
    port = Number(new URL(t.url).port);
    valid = new Browser(t);
    validEmail = uniqueEmail('fuzz');
    expect((await valid.register({ email: validEmail, password: PASSWORD })).status).toBe(201);
    const ds = t.app.get(DataSource);
    fingerprint = async () =>
      JSON.stringify(
        await ds.query(
          `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
                  (SELECT count(*) FROM sessions WHERE revoked_at IS NOT NULL) AS revoked,
                  (SELECT count(*) FROM refresh_tokens) AS tokens, (SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL) AS used,
                  (SELECT count(*) FROM external_identities) AS identities,
                  (SELECT max(last_used_at) FROM sessions) AS last_used`,
        ),
      );
  });
  afterAll(async () => {
    closeConnections();
    await t?.close();
  });

  it(`answers ${RUNS} generated bad requests with 2xx/4xx in Nest’s shape, never 5xx or a stack trace, and refuses without writing`, async () => {
    const secret = t.config.auth.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const uuid = fc.constantFrom(randomUUID(), randomUUID(), '00000000-0000-0000-0000-000000000000');
    const claims = fc.record(
      { sub: fc.oneof(uuid, oddValue), sid: fc.oneof(uuid, oddValue), iat: fc.oneof(fc.constant(now), oddValue), exp: fc.oneof(fc.constant(now + 600), fc.constant(now - 600), oddValue) },
      { requiredKeys: [] },
    );
    const accessTokens = fc.oneof(
      headerText(300),
      fc.constant(valid.accessToken as string),
      // Tampered: a valid token with one character changed.
      fc.nat().map((i) => {
        const token = valid.accessToken as string;
        const at = i % token.length;
        return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
      }),
      fc.tuple(fc.string({ maxLength: 60 }), fc.string({ maxLength: 200 }), fc.string({ maxLength: 60 })).map(([a, b, c]) => `${b64url(a)}.${b64url(b)}.${b64url(c)}`),
      claims.map((c) => jwt({ alg: 'none', typ: 'JWT' }, c, null)),
      claims.map((c) => jwt({ alg: 'HS256', typ: 'JWT' }, c, 'another key that is not the server secret')),
      fc.constantFrom('HS384', 'HS512', 'RS256', 'ES256', 'none', 'hs256', '').chain((alg) => claims.map((c) => jwt({ alg, typ: 'JWT' }, c, secret))),
      // Signed with the server's own key, well-formed claims: expired, or naming nobody.
      fc.record({ sub: uuid, sid: uuid, iat: fc.constant(now - 7200), exp: fc.constantFrom(now - 3600, now - 1, now + 600) }).map((c) => jwt({ alg: 'HS256', typ: 'JWT' }, c, secret)),
    );
    const refreshTokens = fc.oneof(
      headerText(100),
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
      fc.constantFrom('', 'x'.repeat(43), '-'.repeat(43), '_'.repeat(44)),
    );
    const sessionIds = fc.oneof(uuid, headerText(60).map((s) => encodeURIComponent(s)), fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '..%2f..%2f', 'null', '%2e%2e', '1%3BDROP%20TABLE%20sessions'));
    const routes: [string, string][] = [
      ['POST', `/api/v1/${AuthPaths.register}`],
      ['POST', `/api/v1/${AuthPaths.login}`],
      ['POST', `/api/v1/${AuthPaths.refresh}`],
      ['POST', `/api/v1/${AuthPaths.logout}`],
      ['POST', `/api/v1/${AuthPaths.logoutAll}`],
      ['GET', `/api/v1/${AuthPaths.me}`],
      ['GET', `/api/v1/${AuthPaths.sessions}`],
      ['DELETE', `/api/v1/${AuthPaths.sessions}/`],
      ['GET', `/api/v1/${AuthPaths.providers}`],
      ['GET', `/api/v1/${AuthPaths.google}`],
      ['GET', `/api/v1/${AuthPaths.googleCallback}`],
      ['GET', '/api/v1/health'],
      ['GET', '/api/v1/nope/%E2%9C%93'],
    ];
    const scenario: fc.Arbitrary<Scenario> = fc
      .record({
        route: fc.constantFrom(...routes),
        otherMethod: sometimes(0.15, fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD')),
        sessionId: sessionIds,
        query: sometimes(0.25, fc.oneof(headerText(80).map((s) => `?${encodeURIComponent(s)}=${encodeURIComponent(s)}`), fc.constantFrom('?', '?a[b]=1', '?__proto__[x]=1', '?state=%', '?code=&state='))),
        access: sometimes(0.6, accessTokens),
        refresh: sometimes(0.5, refreshTokens),
        bearer: sometimes(0.2, fc.oneof(accessTokens, headerText(100))),
        xsrf: fc.constantFrom('match', 'match', 'match', 'none', 'mismatch', 'odd'),
        xsrfOdd: headerText(60),
        cookieJunk: sometimes(0.2, headerText(200)),
        contentType: fc.constantFrom('application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', null),
        body: sometimes(0.85, bodies(validEmail)),
        extra: fc.array(fc.tuple(fc.constantFrom('User-Agent', 'X-Forwarded-For', 'Accept', 'Origin', 'Referer', 'Accept-Language', 'X-Requested-With'), headerText(300)), { maxLength: 3 }),
      })
      .map((s) => {
        const [routeMethod, path] = s.route;
        const target = (path.endsWith('/') ? path + s.sessionId : path) + (s.query ?? '');
        const cookies: string[] = [];
        if (s.access !== null) cookies.push(`${DEV_COOKIE_NAMES.access}=${s.access}`);
        if (s.refresh !== null) cookies.push(`${DEV_COOKIE_NAMES.refresh}=${s.refresh}`);
        if (s.cookieJunk !== null) cookies.push(s.cookieJunk);
        const headers: [string, string][] = [...s.extra];
        if (s.xsrf !== 'none') cookies.push(`${XSRF_COOKIE_NAME}=fuzz-xsrf`);
        if (s.xsrf === 'match') headers.push([XSRF_HEADER_NAME, 'fuzz-xsrf']);
        if (s.xsrf === 'mismatch') headers.push([XSRF_HEADER_NAME, 'fuzz-xsrF']);
        if (s.xsrf === 'odd') headers.push([XSRF_HEADER_NAME, s.xsrfOdd]);
        if (cookies.length) headers.push(['Cookie', cookies.join('; ')]);
        if (s.bearer !== null) headers.push(['Authorization', `Bearer ${s.bearer}`]);
        if (s.contentType && s.body !== null) headers.push(['Content-Type', s.contentType]);
        return { method: s.otherMethod ?? routeMethod, target, headers, body: s.body === null ? undefined : Buffer.from(s.body, 'utf8') };
      });

    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const before = await fingerprint();
        const res = await rawRequest(port, s.method, s.target, s.headers, s.body);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const what = `${s.method} ${s.target.slice(0, 120)} → ${res.status} ${res.body.slice(0, 300)}`;
        expect({ what, answered: Number.isInteger(res.status) && res.ms < HANG_MS }).toEqual({ what, answered: true });
        expect({ what, serverError: res.status >= 500 }).toEqual({ what, serverError: false });
        expect({ what, stack: /\bat \S+ \(|\.(ts|js):\d+|node_modules|QueryFailedError|TypeError|ReferenceError/.test(res.body) }).toEqual({ what, stack: false });
        if (res.status >= 400) {
          // Refused: nothing written, and the body is Nest's error shape.
          expect({ what, db: await fingerprint() }).toEqual({ what, db: before });
          if (s.method !== 'HEAD') {
            expect({ what, json: res.headers['content-type'] ?? '' }).toEqual({ what, json: expect.stringContaining('application/json') });
            expect({ what, body: JSON.parse(res.body) }).toEqual({ what, body: expect.objectContaining({ statusCode: res.status, message: expect.anything(), error: expect.any(String) }) });
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The run reached past the outer checks: a spread of answers, not 403s everywhere.
    const statuses = [...seen.keys()];
    expect(statuses.some((s) => s === 401)).toBe(true);
    expect(statuses.some((s) => s === 400)).toBe(true);
    expect(statuses.some((s) => s === 403)).toBe(true);
    expect(statuses.some((s) => s < 300)).toBe(true);
  });
  /**
   * A correctly signed token whose `sub` or `sid` is not a UUID must not reach
   * SQL (the uuid cast would fail: 500). Only the server can sign one (a leaked
   * key, a future claim format), so this is hardening: the guard refuses claims
   * that are not UUIDs (callerFromClaims).
   */
  it('answers server-signed tokens with malformed claims 401, never 500', async () => {
    const secret = t.config.auth.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const id = fc.oneof(fc.uuid(), fc.string({ maxLength: 40 }), fc.constantFrom('', 'abc', '1', '00000000-0000-0000-0000-00000000000g'));
    const routes: [string, string][] = [
      ['GET', `/api/v1/${AuthPaths.me}`],
      ['GET', `/api/v1/${AuthPaths.sessions}`],
      ['POST', `/api/v1/${AuthPaths.logoutAll}`],
      ['POST', `/api/v1/${AuthPaths.logout}`],
      ['DELETE', `/api/v1/${AuthPaths.sessions}/${randomUUID()}`],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), id, id, async ([method, path], sub, sid) => {
        const token = jwt({ alg: 'HS256', typ: 'JWT' }, { sub, sid, iat: now, exp: now + 600 }, secret);
        const res = await rawRequest(port, method, path, [['Cookie', `${DEV_COOKIE_NAMES.access}=${token}; ${XSRF_COOKIE_NAME}=x`], [XSRF_HEADER_NAME, 'x']], undefined);
        expect({ method, path, sub, sid, serverError: res.status >= 500 }).toEqual({ method, path, sub, sid, serverError: false });
      }),
      { numRuns: 100, seed: SEED },
    );
  });
});
