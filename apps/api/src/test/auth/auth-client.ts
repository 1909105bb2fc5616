import { randomBytes, randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import { apiPath, AuthCookieNames, AuthPaths, REFRESH_COOKIE_PATH, User, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import type { TestApp } from '../test-app';
import { CookieJar } from './cookie-jar';
import { decodeJwt } from './jwt';

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SendOptions {
  /** An object is sent as JSON; a string is sent as-is with `Content-Type: application/json`. */
  body?: object | string;
  /** true (default): echo the XSRF cookie, fetching one first; false: no header; a string: that header value. */
  xsrf?: boolean | string;
  /** false: send no cookies at all. */
  cookies?: boolean;
  headers?: Record<string, string>;
}

export interface Credentials {
  email: string;
  password: string;
  name?: string;
}

export const PASSWORD = 'correct horse battery staple';

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomUUID()}@example.com`;
}

/**
 * A client address of its own. Apps started with TRUST_PROXY=true take it
 * from X-Forwarded-For, so per-IP limits (register, login failures) count
 * each client apart, as for separate browsers.
 */
export function uniqueIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

const UNSAFE: ReadonlySet<Method> = new Set(['post', 'put', 'patch', 'delete']);

/**
 * One browser talking to the API: keeps a cookie jar, does Angular's XSRF
 * dance (GET any /api/v1 route for the XSRF-TOKEN cookie, echo it in
 * X-XSRF-TOKEN), and has a method per auth endpoint.
 */
export class AuthClient {
  readonly jar: CookieJar;
  readonly ip: string;
  readonly userAgent: string;

  constructor(
    private readonly t: TestApp,
    options: { ip?: string; userAgent?: string; jar?: CookieJar } = {},
  ) {
    this.jar = options.jar ?? new CookieJar();
    this.ip = options.ip ?? uniqueIp();
    this.userAgent = options.userAgent ?? `latchkey-test/${randomUUID().slice(0, 8)}`;
  }

  get cookieNames(): AuthCookieNames {
    return this.t.config.auth.cookieNames;
  }

  get accessToken(): string | undefined {
    return this.jar.get(this.cookieNames.access);
  }

  get refreshToken(): string | undefined {
    return this.jar.get(this.cookieNames.refresh);
  }

  /** The access token held; fails the test when there is none. */
  currentAccessToken(): string {
    const token = this.accessToken;
    if (!token) throw new Error('this client holds no access token');
    return token;
  }

  /** The refresh token held; fails the test when there is none. */
  currentRefreshToken(): string {
    const token = this.refreshToken;
    if (!token) throw new Error('this client holds no refresh token');
    return token;
  }

  /** The access token's claims; fails the test when the jar holds none. */
  claims(): AccessTokenClaims {
    return decodeJwt(this.currentAccessToken()).payload;
  }

  /** The session (`sid`) of the access token held. */
  sessionId(): string {
    return this.claims().sid;
  }

  get xsrfToken(): string | undefined {
    return this.jar.get(XSRF_COOKIE_NAME);
  }

  /** `path` is absolute (`/…`) or relative to the API root, /api/v1 unless the app says otherwise (`auth/me`). */
  async send(method: Method, path: string, options: SendOptions = {}): Promise<Response> {
    const url = path.startsWith('/') ? path : this.t.apiRoot ? `${this.t.apiRoot}/${path}` : apiPath(path);
    const xsrf = options.xsrf ?? true;
    if (UNSAFE.has(method) && xsrf === true && !this.xsrfToken) await this.send('get', AuthPaths.providers);

    let req = request(this.t.server)[method](url).set('X-Forwarded-For', this.ip).set('User-Agent', this.userAgent);
    const cookie = options.cookies === false ? undefined : this.jar.headerFor(url);
    if (cookie) req = req.set('Cookie', cookie);
    if (xsrf === true && this.xsrfToken) req = req.set(XSRF_HEADER_NAME, this.xsrfToken);
    if (typeof xsrf === 'string') req = req.set(XSRF_HEADER_NAME, xsrf);
    for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
    if (typeof options.body === 'string') req = req.set('Content-Type', 'application/json').send(options.body);
    else if (options.body !== undefined) req = req.send(options.body);

    const res = await req;
    this.jar.store(res);
    return res;
  }

  get(path: string, options?: SendOptions): Promise<Response> {
    return this.send('get', path, options);
  }

  post(path: string, body?: object | string, options?: SendOptions): Promise<Response> {
    return this.send('post', path, { ...options, body });
  }

  delete(path: string, options?: SendOptions): Promise<Response> {
    return this.send('delete', path, options);
  }

  register(credentials: Credentials, options?: SendOptions): Promise<Response> {
    return this.post(AuthPaths.register, credentials, options);
  }

  login(credentials: Pick<Credentials, 'email' | 'password'>, options?: SendOptions): Promise<Response> {
    return this.post(AuthPaths.login, credentials, options);
  }

  refresh(options?: SendOptions): Promise<Response> {
    return this.post(AuthPaths.refresh, undefined, options);
  }

  logout(options?: SendOptions): Promise<Response> {
    return this.post(AuthPaths.logout, undefined, options);
  }

  logoutAll(options?: SendOptions): Promise<Response> {
    return this.post(AuthPaths.logoutAll, undefined, options);
  }

  me(options?: SendOptions): Promise<Response> {
    return this.get(AuthPaths.me, options);
  }

  sessions(options?: SendOptions): Promise<Response> {
    return this.get(AuthPaths.sessions, options);
  }

  deleteSession(id: string, options?: SendOptions): Promise<Response> {
    return this.delete(`${AuthPaths.sessions}/${encodeURIComponent(id)}`, options);
  }

  /** Calls with `Authorization: Bearer <token>` and no cookies and no XSRF header, as another service would. */
  bearer(method: Method, path: string, token: string, body?: object): Promise<Response> {
    return this.send(method, path, { body, cookies: false, xsrf: false, headers: { Authorization: `Bearer ${token}` } });
  }

  /** Another tab of the same browser: a copy of the cookies, the same address and user agent. */
  fork(): AuthClient {
    return new AuthClient(this.t, { ip: this.ip, userAgent: this.userAgent, jar: this.jar.clone() });
  }
}

export interface SignedUp {
  client: AuthClient;
  credentials: Credentials;
  user: User;
}

/** A new user, registered (and so signed in) through the API. */
export async function signUp(t: TestApp, options: { tag?: string; client?: AuthClient } = {}): Promise<SignedUp> {
  const client = options.client ?? new AuthClient(t);
  const credentials = { email: uniqueEmail(options.tag), password: PASSWORD };
  const res = await client.register(credentials);
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { client, credentials, user: res.body.user };
}

/** A fresh session for an existing user, in a browser of its own. */
export async function signIn(t: TestApp, credentials: Pick<Credentials, 'email' | 'password'>): Promise<AuthClient> {
  const client = new AuthClient(t);
  const res = await client.login(credentials);
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${JSON.stringify(res.body)}`);
  return client;
}

/** Presents `token` as the refresh cookie from a fresh browser: a lost response replayed, another tab, a thief. */
export async function refreshWith(t: TestApp, token: string): Promise<{ res: Response; client: AuthClient }> {
  const client = new AuthClient(t);
  client.jar.set(t.config.auth.cookieNames.refresh, token, REFRESH_COOKIE_PATH);
  return { res: await client.refresh(), client };
}
