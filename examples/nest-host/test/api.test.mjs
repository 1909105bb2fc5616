// Black-box test of the example host, from outside: global fetch, a tiny cookie
// jar, and `pg` to look at the tables. Nothing from the Latchkey workspace.
//   BASE_URL=http://127.0.0.1:3100 PGDATABASE=<the app's database> node --test test/
// (scripts/test.mjs starts the server on a fresh database and sets both.)
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';

const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:3100').replace(/\/+$/, '');
const PREFIX = '/svc';
const AUTH = `${PREFIX}/auth`;
const PASSWORD = 'correct horse battery staple';
const EMAIL = `Ada.Lovelace+${randomBytes(4).toString('hex')}@Example.COM`;

/** Cookies as a browser keeps them: by name, with the path they go to (RFC 6265 path-match). */
class CookieJar {
  cookies = new Map();

  /** Stores every Set-Cookie of `res`; returns them parsed, by name (Max-Age=0 included). */
  take(res) {
    const set = new Map();
    for (const header of res.headers.getSetCookie()) {
      const cookie = parseSetCookie(header);
      set.set(cookie.name, cookie);
      if (cookie.attributes['max-age'] === '0' || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie);
    }
    return set;
  }

  get(name) {
    return this.cookies.get(name)?.value;
  }

  set(name, value, path = '/') {
    this.cookies.set(name, { name, value, attributes: { path } });
  }

  header(path) {
    return [...this.cookies.values()]
      .filter((cookie) => pathMatches(path, cookie.attributes.path ?? '/'))
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

function parseSetCookie(header) {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = {};
  for (const part of rest) {
    const [key, ...value] = part.trim().split('=');
    attributes[key.toLowerCase()] = value.length ? value.join('=') : true;
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes, raw: header };
}

function pathMatches(requestPath, cookiePath) {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/**
 * One request the way a browser (with Angular's XSRF handling) would send it:
 * the jar's cookies for that path, and X-XSRF-TOKEN unless `xsrf: false`.
 */
async function call(jar, method, path, { body, xsrf = true, headers = {}, rawBody } = {}) {
  const h = { accept: 'application/json', ...headers };
  const cookie = jar?.header(path.split('?')[0]);
  if (cookie) h.cookie = cookie;
  if (xsrf && jar?.get('XSRF-TOKEN')) h['x-xsrf-token'] = jar.get('XSRF-TOKEN');
  if (body !== undefined || rawBody !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(`${BASE_URL}${path}`, { method, headers: h, body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)), redirect: 'manual' });
  const set = jar ? jar.take(res) : new Map();
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, set, json, text };
}

/** A jar holding an XSRF-TOKEN, as after the app's first GET. */
async function primedJar() {
  const jar = new CookieJar();
  const res = await call(jar, 'GET', `${AUTH}/providers`);
  assert.equal(res.status, 200);
  assert.ok(jar.get('XSRF-TOKEN'), 'GET /svc/auth/providers sets XSRF-TOKEN');
  return jar;
}

/** Nest's error shape, all three fields. */
function assertNestError(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.equal(res.json?.statusCode, status, `body: ${res.text}`);
  assert.ok(res.json.message !== undefined && res.json.message !== '', `message in ${res.text}`);
  assert.equal(typeof res.json.error, 'string', `error in ${res.text}`);
}

function assertAuthCookies(set, { maxAgeZero = false } = {}) {
  const access = set.get('access_token');
  const refresh = set.get('refresh_token');
  assert.ok(access, `access_token set (got ${[...set.keys()]})`);
  assert.ok(refresh, `refresh_token set (got ${[...set.keys()]})`);
  assert.equal(access.attributes.path, '/', access.raw);
  assert.equal(refresh.attributes.path, `${AUTH}`, `the refresh cookie follows the host's prefix: ${refresh.raw}`);
  assert.equal(access.attributes.httponly, true, access.raw);
  assert.equal(refresh.attributes.httponly, true, refresh.raw);
  assert.match(String(access.attributes.samesite), /^lax$/i, access.raw);
  assert.match(String(refresh.attributes.samesite), /^strict$/i, refresh.raw);
  if (maxAgeZero) {
    assert.equal(access.attributes['max-age'], '0', access.raw);
    assert.equal(refresh.attributes['max-age'], '0', refresh.raw);
  } else {
    assert.ok(Number(access.attributes['max-age']) > 0, access.raw);
    assert.ok(Number(refresh.attributes['max-age']) > 0, refresh.raw);
  }
}

let db;
before(async () => {
  db = new pg.Client({
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    password: process.env.PGPASSWORD,
    database: process.env.PGDATABASE,
  });
  await db.connect();
});
after(async () => {
  await db?.end();
});

describe('the host app itself', () => {
  test('GET /svc/hello answers anonymously (@Public)', async () => {
    const res = await call(null, 'GET', `${PREFIX}/hello`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { hello: 'world' });
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', 'security headers on the host routes too');
    assert.equal(res.headers.get('x-powered-by'), null);
  });

  test('GET /svc/me/plan without credentials is 401 in Nest\'s shape', async () => {
    assertNestError(await call(new CookieJar(), 'GET', `${PREFIX}/me/plan`), 401);
  });

  test('Latchkey is mounted under /svc only: /api/v1/auth/providers is a 404', async () => {
    assertNestError(await call(null, 'GET', '/api/v1/auth/providers'), 404);
  });
});

describe('sign-up, sign-in, sessions, rotation and sign-out under /svc', () => {
  const jar = new CookieJar();
  let user;

  test('GET /svc/auth/providers sets XSRF-TOKEN (Path=/, readable by scripts)', async () => {
    const res = await call(jar, 'GET', `${AUTH}/providers`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { password: true, google: false });
    const xsrf = res.set.get('XSRF-TOKEN');
    assert.ok(xsrf, 'XSRF-TOKEN is set');
    assert.equal(xsrf.attributes.path, '/');
    assert.equal(xsrf.attributes.httponly, undefined, 'XSRF-TOKEN is not HttpOnly');
    assert.match(String(xsrf.attributes.samesite), /^lax$/i);
  });

  test('an unsafe request without X-XSRF-TOKEN is 403 in Nest\'s shape', async () => {
    const res = await call(jar, 'POST', `${AUTH}/register`, { body: { email: EMAIL, password: PASSWORD }, xsrf: false });
    assertNestError(res, 403);
    assert.equal(res.set.get('access_token'), undefined);
  });

  test('the CSRF scope follows the prefix in any letter case: POST /SVC/AUTH/LOGOUT without the header is 403', async () => {
    assertNestError(await call(jar, 'POST', '/SVC/AUTH/LOGOUT', { xsrf: false }), 403);
  });

  test('register → 201, access cookie Path=/, refresh and device cookies Path=/svc/auth', async () => {
    const res = await call(jar, 'POST', `${AUTH}/register`, { body: { email: EMAIL, password: PASSWORD, name: 'Ada' } });
    assert.equal(res.status, 201, res.text);
    user = res.json.user;
    assert.equal(user.email, EMAIL.toLowerCase());
    assert.equal(user.name, 'Ada');
    assert.deepEqual(user.providers, ['password']);
    assert.equal(user.emailVerified, false);
    assert.match(user.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(res.json.accessTokenExpiresAt)));
    assert.equal(JSON.stringify(res.json).includes('argon2'), false, 'no hash in the body');
    assertAuthCookies(res.set);
    const device = res.set.get('lk_device');
    assert.ok(device, `lk_device set (got ${[...res.set.keys()]})`);
    assert.equal(device.attributes.path, AUTH, `the device cookie follows the host's prefix: ${device.raw}`);
    assert.equal(device.attributes.httponly, true);
    assert.match(String(device.attributes.samesite), /^strict$/i);
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
  });

  test('the user lives in the host\'s host_users table; Latchkey\'s users table stays empty', async () => {
    const { rows } = await db.query(`SELECT id, email, name, plan, email_verified, password_hash FROM host_users`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].id, user.id, 'sessions carry the host\'s user id');
    assert.equal(rows[0].email, EMAIL.toLowerCase());
    assert.equal(rows[0].plan, 'free');
    assert.equal(rows[0].email_verified, false);
    assert.match(rows[0].password_hash, /^\$argon2id\$/);
    const users = await db.query(`SELECT count(*)::int AS n FROM users`);
    assert.equal(users.rows[0].n, 0, 'a host store means Latchkey never writes its users table');
    const sessions = await db.query(`SELECT user_id FROM sessions`);
    assert.deepEqual(
      sessions.rows.map((r) => r.user_id),
      [user.id],
    );
  });

  test('register with the same email (other spelling) is 409', async () => {
    const other = await primedJar();
    assertNestError(await call(other, 'POST', `${AUTH}/register`, { body: { email: EMAIL.toUpperCase(), password: PASSWORD } }), 409);
  });

  test('login with a wrong password is 401; with the right one 200 + cookies', async () => {
    const wrong = await call(jar, 'POST', `${AUTH}/login`, { body: { email: EMAIL, password: 'not the password' } });
    assertNestError(wrong, 401);
    assert.equal(wrong.set.get('access_token'), undefined);
    const right = await call(jar, 'POST', `${AUTH}/login`, { body: { email: EMAIL, password: PASSWORD } });
    assert.equal(right.status, 200, right.text);
    assert.equal(right.json.user.id, user.id);
    assertAuthCookies(right.set);
  });

  test('GET /svc/auth/me → 200 with the host user', async () => {
    const res = await call(jar, 'GET', `${AUTH}/me`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.user, user);
  });

  test('GET /svc/me/plan: 200 with the cookie, and with Authorization: Bearer <the access token>', async () => {
    const withCookie = await call(jar, 'GET', `${PREFIX}/me/plan`);
    assert.equal(withCookie.status, 200, withCookie.text);
    assert.deepEqual(withCookie.json, { email: EMAIL.toLowerCase(), plan: 'free' });
    const withBearer = await call(null, 'GET', `${PREFIX}/me/plan`, { headers: { authorization: `Bearer ${jar.get('access_token')}` } });
    assert.equal(withBearer.status, 200, withBearer.text);
    assert.deepEqual(withBearer.json, { email: EMAIL.toLowerCase(), plan: 'free' });
  });

  test('refresh rotates: a new refresh token (and access token) in the same session', async () => {
    const oldRefresh = jar.get('refresh_token');
    const res = await call(jar, 'POST', `${AUTH}/refresh`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, user.id);
    assertAuthCookies(res.set);
    assert.notEqual(jar.get('refresh_token'), oldRefresh, 'the refresh token rotated');
    // (The access JWT may equal the old one: same sub, sid and second.)
    const me = await call(jar, 'GET', `${AUTH}/me`);
    assert.equal(me.status, 200);
  });

  test('refresh is never exempt from CSRF, not even with a valid Bearer token', async () => {
    const res = await call(jar, 'POST', `${AUTH}/refresh`, { xsrf: false, headers: { authorization: `Bearer ${jar.get('access_token')}` } });
    assertNestError(res, 403);
  });

  test('refresh with a made-up refresh token is 401', async () => {
    const stranger = await primedJar();
    stranger.set('refresh_token', randomBytes(32).toString('base64url'), AUTH);
    assertNestError(await call(stranger, 'POST', `${AUTH}/refresh`), 401);
    const none = await primedJar();
    assertNestError(await call(none, 'POST', `${AUTH}/refresh`), 401);
  });

  test('GET /svc/auth/sessions lists this session as current; DELETE removes another one', async () => {
    const res = await call(jar, 'GET', `${AUTH}/sessions`);
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.json));
    assert.equal(res.json.length, 2, 'register and login each opened a session');
    const current = res.json.filter((s) => s.current === true);
    assert.equal(current.length, 1, 'exactly one current session');
    const other = res.json.find((s) => s.current !== true);
    const deleted = await call(jar, 'DELETE', `${AUTH}/sessions/${other.id}`);
    assert.equal(deleted.status, 204, deleted.text);
    const again = await call(jar, 'GET', `${AUTH}/sessions`);
    assert.deepEqual(
      again.json.map((s) => s.id),
      [current[0].id],
    );
    assertNestError(await call(jar, 'DELETE', `${AUTH}/sessions/${randomUUID()}`), 404);
  });

  test('each listed session has the contract\'s fields: id, createdAt, lastUsedAt, expiresAt, userAgent, current', async () => {
    const res = await call(jar, 'GET', `${AUTH}/sessions`);
    assert.equal(res.status, 200, res.text);
    for (const session of res.json) {
      for (const field of ['createdAt', 'current', 'expiresAt', 'id', 'lastUsedAt', 'userAgent']) assert.ok(field in session, `${field} missing`);
    }
  });

  test('each listed session has the contract\'s new ipAddress: the client address of the last sign-in or refresh', async () => {
    const res = await call(jar, 'GET', `${AUTH}/sessions`);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json[0]).sort(), ['createdAt', 'current', 'expiresAt', 'id', 'ipAddress', 'lastUsedAt', 'userAgent']);
    assert.match(res.json[0].ipAddress ?? '', /^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });

  test('logout → 204, clears both auth cookies with Max-Age=0 and the same paths; the access token is dead', async () => {
    const access = jar.get('access_token');
    const res = await call(jar, 'POST', `${AUTH}/logout`);
    assert.equal(res.status, 204, res.text);
    assertAuthCookies(res.set, { maxAgeZero: true });
    assertNestError(await call(jar, 'GET', `${AUTH}/me`), 401);
    // Revocation is immediate (within 1 s) for the access token too.
    await new Promise((r) => setTimeout(r, 1000));
    assertNestError(await call(null, 'GET', `${PREFIX}/me/plan`, { headers: { authorization: `Bearer ${access}` } }), 401);
    const live = await db.query(`SELECT id, user_id, created_at, revoked_at, revoked_reason FROM sessions WHERE revoked_at IS NULL`);
    assert.deepEqual(live.rows, [], 'no live session is left');
  });
  test('after the whole flow, Latchkey\'s users and external_identities tables are still empty', async () => {
    const { rows } = await db.query(`SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM external_identities)::int AS identities`);
    assert.deepEqual(rows[0], { users: 0, identities: 0 });
  });
});

describe('bad input under the host\'s body parser', () => {
  test('malformed JSON is 400 in Nest\'s shape', async () => {
    const jar = await primedJar();
    assertNestError(await call(jar, 'POST', `${AUTH}/login`, { rawBody: '{"email": ' }), 400);
  });

  test('a body over 100 kB is 413 in Nest\'s shape', async () => {
    const jar = await primedJar();
    const res = await call(jar, 'POST', `${AUTH}/login`, { body: { email: 'a@example.com', password: 'x'.repeat(110 * 1024) } });
    assertNestError(res, 413);
  });

  test('JSON nested deeper than 64 levels is 400, not a 500', async () => {
    const jar = await primedJar();
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assertNestError(await call(jar, 'POST', `${AUTH}/login`, { rawBody: `{"email":"a@example.com","password":"12345678","x":${deep}}` }), 400);
  });

  test('unknown fields (__proto__ included) are 400', async () => {
    const jar = await primedJar();
    assertNestError(await call(jar, 'POST', `${AUTH}/login`, { rawBody: '{"email":"a@example.com","password":"12345678","__proto__":{"admin":true}}' }), 400);
  });
});
