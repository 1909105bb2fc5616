import { randomBytes, randomUUID } from 'node:crypto';
import { apiPath, AuthCookieNames, AuthPaths, DEV_COOKIE_NAMES, REFRESH_COOKIE_PATH, User, XSRF_COOKIE_NAME, XSRF_HEADER_NAME } from '@latchkey/auth-contract';
import { CookieJar } from './cookie-jar';
import { Answer, errorCode, NoAnswer, send } from './http';
import { decodeJwt } from './jwt';

/**
 * A server to talk to: a URL (`http://127.0.0.1:port`, a built server's) or
 * anything that has one, such as a TestApp, a host app or a BuiltServer.
 */
export interface HttpTarget {
  readonly url: string;
  /** Where the API is mounted, e.g. `/svc`; default `/api/v1`. */
  readonly apiRoot?: string;
  /** The server's config, for its cookie names; default: the development names. */
  readonly config?: { readonly auth: { readonly cookieNames: AuthCookieNames } };
}

export type Target = HttpTarget | string;

export interface AccessTokenClaims {
  sub: string;
  sid: string;
  iat: number;
  exp: number;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface SendOptions {
  /** An object is sent as JSON; a string or bytes as they are, with `Content-Type: application/json` unless `headers` say otherwise. */
  body?: object | string | Buffer;
  /** true (default): echo the XSRF cookie, fetching one first for an unsafe method; false: no header; a string: that header value. */
  xsrf?: boolean | string;
  /** false: send no cookies at all. */
  cookies?: boolean;
  /** Sent last: they replace the browser's own (names are case-insensitive). */
  headers?: Record<string, string>;
  /** The browser's own limit unless given. */
  timeoutMs?: number;
  /** false: a connection of its own, closed after the answer. */
  keepAlive?: boolean;
}

export interface BrowserOptions {
  /** Sent as X-Forwarded-For (servers with TRUST_PROXY take it as the client's address); default: one of its own. */
  ip?: string;
  userAgent?: string;
  jar?: CookieJar;
  /** What a request may take before it fails with ETIMEDOUT; default HANG_MS. */
  timeoutMs?: number;
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
 * A client address of its own. Servers started with TRUST_PROXY=true take it
 * from X-Forwarded-For, so per-IP limits (register, login failures) count
 * each client apart, as for separate browsers.
 */
export function uniqueIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

const UNSAFE: ReadonlySet<Method> = new Set(['post', 'put', 'patch', 'delete']);

function asTarget(target: Target): HttpTarget {
  return typeof target === 'string' ? { url: target } : target;
}

/**
 * One browser talking to a running server over real HTTP (keep-alive, a time
 * limit on every request): an RFC 6265 cookie jar, Angular's XSRF dance (GET
 * any API route for the XSRF-TOKEN cookie, echo it in X-XSRF-TOKEN), its own
 * address and user agent, and a method per endpoint. The same class drives an
 * in-process TestApp, a host app and a built server.
 */
export class Browser {
  readonly target: HttpTarget;
  readonly jar: CookieJar;
  readonly ip: string;
  readonly userAgent: string;
  readonly timeoutMs: number | undefined;

  constructor(target: Target, options: BrowserOptions = {}) {
    this.target = asTarget(target);
    this.jar = options.jar ?? new CookieJar();
    this.ip = options.ip ?? uniqueIp();
    this.userAgent = options.userAgent ?? `latchkey-test/${randomUUID().slice(0, 8)}`;
    this.timeoutMs = options.timeoutMs;
  }

  get cookieNames(): AuthCookieNames {
    return this.target.config?.auth.cookieNames ?? DEV_COOKIE_NAMES;
  }

  get accessToken(): string | undefined {
    return this.jar.get(this.cookieNames.access);
  }

  get refreshToken(): string | undefined {
    return this.jar.get(this.cookieNames.refresh);
  }

  get xsrfToken(): string | undefined {
    return this.jar.get(XSRF_COOKIE_NAME);
  }

  /** The access token held; fails the test when there is none. */
  currentAccessToken(): string {
    const token = this.accessToken;
    if (!token) throw new Error('this browser holds no access token');
    return token;
  }

  /** The refresh token held; fails the test when there is none. */
  currentRefreshToken(): string {
    const token = this.refreshToken;
    if (!token) throw new Error('this browser holds no refresh token');
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

  /** The URL path of `path`: absolute (`/…`) as it is, else relative to the API root (`auth/me`). */
  urlPath(path: string): string {
    if (path.startsWith('/')) return path;
    return this.target.apiRoot ? `${this.target.apiRoot}/${path}` : apiPath(path);
  }

  /** One request; rejects when no HTTP answer comes (refused, reset, past the time limit). */
  async send(method: Method, path: string, options: SendOptions = {}): Promise<Answer> {
    const urlPath = this.urlPath(path);
    const xsrf = options.xsrf ?? true;
    if (UNSAFE.has(method) && xsrf === true && !this.xsrfToken) await this.send('get', AuthPaths.providers, { timeoutMs: options.timeoutMs, keepAlive: options.keepAlive });

    const headers: Record<string, string> = { 'user-agent': this.userAgent, 'x-forwarded-for': this.ip };
    const cookie = options.cookies === false ? undefined : this.jar.headerFor(urlPath);
    if (cookie) headers['cookie'] = cookie;
    const xsrfValue = xsrf === true ? this.xsrfToken : xsrf === false ? undefined : xsrf;
    if (xsrfValue !== undefined) headers[XSRF_HEADER_NAME.toLowerCase()] = xsrfValue;
    let body: Buffer | undefined;
    if (options.body !== undefined) {
      body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
      headers['content-type'] = 'application/json';
    }
    if (body || UNSAFE.has(method)) headers['content-length'] = String(body?.length ?? 0);
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;

    const res = await send(this.target.url + urlPath, { method: method.toUpperCase(), headers, body, timeoutMs: options.timeoutMs ?? this.timeoutMs, keepAlive: options.keepAlive });
    this.jar.store(res.setCookies, urlPath);
    return res;
  }

  /** Like `send`, but a network failure or a timeout is an answer with status 0. */
  async attempt(method: Method, path: string, options: SendOptions = {}): Promise<Answer | NoAnswer> {
    const started = Date.now();
    try {
      return await this.send(method, path, options);
    } catch (error) {
      return { status: 0, error: errorCode(error), ms: Date.now() - started };
    }
  }

  get(path: string, options?: SendOptions): Promise<Answer> {
    return this.send('get', path, options);
  }

  post(path: string, body?: object | string, options?: SendOptions): Promise<Answer> {
    return this.send('post', path, { ...options, body });
  }

  patch(path: string, body?: object | string, options?: SendOptions): Promise<Answer> {
    return this.send('patch', path, { ...options, body });
  }

  delete(path: string, options?: SendOptions): Promise<Answer> {
    return this.send('delete', path, options);
  }

  /** With `Authorization: Bearer <token>`, no cookies and no XSRF header, as another service would call. */
  bearer(method: Method, path: string, token: string, body?: object): Promise<Answer> {
    return this.send(method, path, { body, cookies: false, xsrf: false, headers: { Authorization: `Bearer ${token}` } });
  }

  // ── the endpoints (CONTRACT.md "Endpoints") ──

  register(credentials: Credentials, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.register, credentials, options);
  }

  login(credentials: Pick<Credentials, 'email' | 'password'>, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.login, credentials, options);
  }

  refresh(options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.refresh, undefined, options);
  }

  logout(options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.logout, undefined, options);
  }

  logoutAll(options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.logoutAll, undefined, options);
  }

  me(options?: SendOptions): Promise<Answer> {
    return this.get(AuthPaths.me, options);
  }

  sessions(options?: SendOptions): Promise<Answer> {
    return this.get(AuthPaths.sessions, options);
  }

  deleteSession(id: string, options?: SendOptions): Promise<Answer> {
    return this.delete(`${AuthPaths.sessions}/${encodeURIComponent(id)}`, options);
  }

  providers(options?: SendOptions): Promise<Answer> {
    return this.get(AuthPaths.providers, options);
  }

  forgotPassword(email: string, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.passwordForgot, { email }, options);
  }

  resetPassword(token: string, password: string, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.passwordReset, { token, password }, options);
  }

  changePassword(currentPassword: string, newPassword: string, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.passwordChange, { currentPassword, newPassword }, options);
  }

  requestVerification(options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.emailVerification, undefined, options);
  }

  verifyEmail(token: string, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.emailVerify, { token }, options);
  }

  /** Without `password` the body has none (an account without one, or the 403 for a missing one). */
  changeEmail(newEmail: string, password?: string, options?: SendOptions): Promise<Answer> {
    return this.post(AuthPaths.emailChange, password === undefined ? { newEmail } : { newEmail, password }, options);
  }

  updateProfile(body: object | string, options?: SendOptions): Promise<Answer> {
    return this.patch(AuthPaths.me, body, options);
  }

  /** Sends `{}` without `password`. */
  deleteAccount(password?: string, options?: SendOptions): Promise<Answer> {
    return this.send('delete', AuthPaths.me, { ...options, body: password === undefined ? {} : { password } });
  }

  // ── other browsers ──

  /** Another tab of the same browser: a copy of the cookies, the same address and user agent, from here on kept apart. */
  fork(): Browser {
    return this.on(this.target);
  }

  /** The same browser (a copy of its cookies, its address and user agent) talking to another server, e.g. another instance. */
  on(target: Target): Browser {
    return new Browser(target, { ip: this.ip, userAgent: this.userAgent, jar: this.jar.clone(), timeoutMs: this.timeoutMs });
  }
}

export interface SignedUp {
  client: Browser;
  credentials: Credentials;
  user: User;
}

/** A new user, registered (and so signed in) through the API. */
export async function signUp(target: Target, options: { tag?: string; client?: Browser } = {}): Promise<SignedUp> {
  const client = options.client ?? new Browser(target);
  const credentials = { email: uniqueEmail(options.tag), password: PASSWORD };
  const res = await client.register(credentials);
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${res.text}`);
  return { client, credentials, user: res.body.user };
}

/** A fresh session for an existing user, in a browser of its own. */
export async function signIn(target: Target, credentials: Pick<Credentials, 'email' | 'password'>): Promise<Browser> {
  const client = new Browser(target);
  const res = await client.login(credentials);
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${res.text}`);
  return client;
}

/** Presents `token` as the refresh cookie from a fresh browser: a lost answer replayed, another tab, a thief. */
export async function refreshWith(target: Target, token: string): Promise<{ res: Answer; client: Browser }> {
  const client = new Browser(target);
  client.jar.set(client.cookieNames.refresh, token, client.target.apiRoot ? `${client.target.apiRoot}/auth` : REFRESH_COOKIE_PATH);
  return { res: await client.refresh(), client };
}
