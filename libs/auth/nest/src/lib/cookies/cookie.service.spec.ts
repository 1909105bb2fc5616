import { randomUUID } from 'node:crypto';
import { ApplicationConfig } from '@nestjs/core';
import cookieParser from 'cookie-parser';
import express, { Request, Response } from 'express';
import request from 'supertest';
import { DEV_COOKIE_NAMES, PRODUCTION_COOKIE_NAMES, User, XSRF_COOKIE_NAME, authCookieNames } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import { AuthRoutes } from '../config/auth-routes';
import { DeviceTokens } from '../throttling/device-tokens';
import { IssuedSession } from '../tokens/issued-session';
import { CookieService } from './cookie.service';

const ACCESS_TTL_SECONDS = 900;
const ISSUED_AT = new Date('2030-01-01T10:00:00.000Z');
const ADA: User = { id: randomUUID(), email: 'ada@example.com', emailVerified: true, name: 'Ada', picture: null, providers: ['password'] };

function settings(isProduction: boolean): AuthConfig {
  return {
    isProduction,
    jwtSecret: 'cookie-service-spec-secret-long-enough-0123456789',
    accessTokenTtlSeconds: ACCESS_TTL_SECONDS,
    cookieNames: authCookieNames(isProduction),
  } as AuthConfig;
}

function session(options: { isSignIn: boolean; refreshExpiresAt?: Date }): IssuedSession {
  return new IssuedSession(
    ADA,
    randomUUID(),
    'the.access.jwt',
    new Date(ISSUED_AT.getTime() + ACCESS_TTL_SECONDS * 1000),
    'R'.repeat(43),
    options.refreshExpiresAt ?? new Date(ISSUED_AT.getTime() + 14 * 86_400_000 + 999),
    ISSUED_AT,
    options.isSignIn,
  );
}

interface SetCookie {
  name: string;
  value: string;
  attributes: Map<string, string>;
}

/** `Set-Cookie` as a browser reads it: name, value and attributes (names lower-cased). */
function parse(raw: string): SetCookie {
  const [pair, ...parts] = raw.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const at = part.indexOf('=');
    attributes.set((at < 0 ? part : part.slice(0, at)).toLowerCase(), at < 0 ? '' : part.slice(at + 1));
  }
  return { name: pair.slice(0, eq), value: decodeURIComponent(pair.slice(eq + 1)), attributes };
}

function setCookies(res: request.Response): SetCookie[] {
  const header = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  return (header === undefined ? [] : Array.isArray(header) ? header : [header]).map(parse);
}

function cookieNamed(res: request.Response, name: string): SetCookie {
  const found = setCookies(res).filter((cookie) => cookie.name === name);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The routes of a host that mounts the API under `globalPrefix` (the app uses `api/v1`). */
function routes(globalPrefix = 'api/v1', explicitPrefix?: string): AuthRoutes {
  const application = new ApplicationConfig();
  application.setGlobalPrefix(globalPrefix);
  return new AuthRoutes(application, explicitPrefix);
}

/** A real Express app, so the assertions are on the `Set-Cookie` strings a browser receives. */
function app(isProduction: boolean, issued = session({ isSignIn: true }), authRoutes = routes()) {
  const config = settings(isProduction);
  const devices = new DeviceTokens(config);
  const cookies = new CookieService(config, devices, authRoutes);
  const server = express();
  server.use(cookieParser());
  server.post('/write', (_req: Request, res: Response) => {
    res.json(cookies.writeSession(res, issued));
  });
  server.post('/clear', (_req: Request, res: Response) => {
    cookies.clearSession(res);
    res.status(204).end();
  });
  server.get('/xsrf', (req: Request, res: Response) => {
    res.json({ existing: cookies.ensureXsrfToken(req, res) ?? null });
  });
  server.get('/read', (req: Request, res: Response) => {
    res.json({ access: cookies.readAccessToken(req) ?? null, refresh: cookies.readRefreshToken(req) ?? null, device: cookies.readDeviceToken(req) ?? null });
  });
  return { server, devices };
}

describe('CookieService', () => {
  describe.each([
    { env: 'development', isProduction: false, names: { access: 'access_token', refresh: 'refresh_token', device: 'lk_device' } },
    // `__Host-` pins the access cookie to the origin, `__Secure-` demands HTTPS.
    { env: 'production', isProduction: true, names: { access: '__Host-access_token', refresh: '__Secure-refresh_token', device: '__Secure-lk_device' } },
  ])('in $env', ({ isProduction, names }) => {
    it('the access cookie: HttpOnly, Path=/, SameSite=Lax, Max-Age = the access TTL, no Domain', async () => {
      const res = await request(app(isProduction).server).post('/write').expect(200);
      const access = cookieNamed(res, names.access);
      expect(access.value).toBe('the.access.jwt');
      expect(access.attributes.has('httponly')).toBe(true);
      expect(access.attributes.get('path')).toBe('/');
      expect(access.attributes.get('samesite')).toBe('Lax');
      expect(access.attributes.get('max-age')).toBe(String(ACCESS_TTL_SECONDS));
      // `__Host-` cookies must have no Domain, Path=/ and Secure, or the browser drops them.
      expect(access.attributes.has('domain')).toBe(false);
      expect(access.attributes.has('secure')).toBe(isProduction);
    });

    it('the refresh cookie: HttpOnly, only sent to the auth endpoints, SameSite=Strict, dies with the session (whole seconds)', async () => {
      const res = await request(app(isProduction).server).post('/write').expect(200);
      const refresh = cookieNamed(res, names.refresh);
      expect(refresh.value).toBe('R'.repeat(43));
      expect(refresh.attributes.has('httponly')).toBe(true);
      expect(refresh.attributes.get('path')).toBe('/api/v1/auth');
      expect(refresh.attributes.get('samesite')).toBe('Strict');
      // 14 days and 999 ms left: rounded down, so the cookie never outlives the session row.
      expect(refresh.attributes.get('max-age')).toBe(String(14 * 86_400));
      expect(refresh.attributes.has('secure')).toBe(isProduction);
    });

    it('a sign-in also sets the device cookie: a token for this account, HttpOnly, auth path, Strict, 90 days', async () => {
      const { server, devices } = app(isProduction);
      const res = await request(server).post('/write').expect(200);
      const device = cookieNamed(res, names.device);
      expect(devices.deviceOf(device.value, ADA.email, ISSUED_AT)).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(devices.deviceOf(device.value, 'eve@example.com', ISSUED_AT)).toBeNull();
      expect(device.attributes.has('httponly')).toBe(true);
      expect(device.attributes.get('path')).toBe('/api/v1/auth');
      expect(device.attributes.get('samesite')).toBe('Strict');
      expect(device.attributes.get('max-age')).toBe(String(90 * 86_400));
      expect(device.attributes.has('secure')).toBe(isProduction);
    });

    it('a refresh sets the two auth cookies only, never a new device cookie', async () => {
      const res = await request(app(isProduction, session({ isSignIn: false })).server).post('/write').expect(200);
      expect(setCookies(res).map((cookie) => cookie.name).sort()).toEqual([names.access, names.refresh].sort());
    });

    it('the response is never cached and its body carries no token', async () => {
      const res = await request(app(isProduction).server).post('/write').expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ user: ADA, accessTokenExpiresAt: '2030-01-01T10:15:00.000Z' });
      expect(res.text).not.toContain('the.access.jwt');
      expect(res.text).not.toContain('R'.repeat(43));
    });

    it('clearing expires both auth cookies with Max-Age=0 on the paths (and flags) they were set with; the device cookie stays', async () => {
      const res = await request(app(isProduction).server).post('/clear').expect(204);
      expect(res.headers['cache-control']).toBe('no-store');
      const cleared = setCookies(res);
      expect(cleared.map((cookie) => cookie.name).sort()).toEqual([names.access, names.refresh].sort());
      const access = cookieNamed(res, names.access);
      const refresh = cookieNamed(res, names.refresh);
      for (const cookie of [access, refresh]) {
        expect(cookie.value).toBe('');
        expect(cookie.attributes.get('max-age')).toBe('0');
        expect(new Date(cookie.attributes.get('expires') ?? '').getTime()).toBeLessThanOrEqual(Date.now());
        expect(cookie.attributes.has('httponly')).toBe(true);
        // A browser ignores a `__Host-`/`__Secure-` cookie without Secure: the clearing would do nothing.
        expect(cookie.attributes.has('secure')).toBe(isProduction);
      }
      // A cookie is only replaced by one with the same name and path.
      expect(access.attributes.get('path')).toBe('/');
      expect(refresh.attributes.get('path')).toBe('/api/v1/auth');
    });

    it('reads each cookie by its name here; an empty cookie counts as none', async () => {
      const { server } = app(isProduction);
      const read = await request(server)
        .get('/read')
        .set('Cookie', `${names.access}=a; ${names.refresh}=r; ${names.device}=d`)
        .expect(200);
      expect(read.body).toEqual({ access: 'a', refresh: 'r', device: 'd' });
      const other = isProduction ? DEV_COOKIE_NAMES : PRODUCTION_COOKIE_NAMES;
      const wrongNames = await request(server)
        .get('/read')
        .set('Cookie', `${other.access}=a; ${other.refresh}=r; ${other.device}=d`)
        .expect(200);
      expect(wrongNames.body).toEqual({ access: null, refresh: null, device: null });
      const empty = await request(server).get('/read').set('Cookie', `${names.access}=; ${names.refresh}=`).expect(200);
      expect(empty.body).toEqual({ access: null, refresh: null, device: null });
    });

    it('hands out an XSRF cookie Angular can read (not HttpOnly, Path=/, Lax) only when the browser has none', async () => {
      const { server } = app(isProduction);
      const fresh = await request(server).get('/xsrf').expect(200);
      const xsrf = cookieNamed(fresh, XSRF_COOKIE_NAME);
      expect(fresh.body).toEqual({ existing: null });
      expect(xsrf.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(xsrf.attributes.has('httponly')).toBe(false);
      expect(xsrf.attributes.get('path')).toBe('/');
      expect(xsrf.attributes.get('samesite')).toBe('Lax');
      expect(xsrf.attributes.has('secure')).toBe(isProduction);
      expect(xsrf.attributes.has('max-age')).toBe(false);
      expect(fresh.headers['cache-control']).toBe('no-store');

      const again = await request(server).get('/xsrf').set('Cookie', `${XSRF_COOKIE_NAME}=${xsrf.value}`).expect(200);
      expect(again.body).toEqual({ existing: xsrf.value });
      expect(setCookies(again)).toEqual([]);
    });
  });

  it('each browser gets its own XSRF token', async () => {
    const { server } = app(false);
    const first = cookieNamed(await request(server).get('/xsrf'), XSRF_COOKIE_NAME).value;
    const second = cookieNamed(await request(server).get('/xsrf'), XSRF_COOKIE_NAME).value;
    expect(first).not.toBe(second);
  });

  it('a host with another API prefix: the refresh and device cookies follow it, and clearing uses the same path', async () => {
    for (const authRoutes of [routes('v2'), routes('api/v1', '/v2/')]) {
      const written = await request(app(false, session({ isSignIn: true }), authRoutes).server).post('/write').expect(200);
      expect(cookieNamed(written, 'refresh_token').attributes.get('path')).toBe('/v2/auth');
      expect(cookieNamed(written, 'lk_device').attributes.get('path')).toBe('/v2/auth');
      expect(cookieNamed(written, 'access_token').attributes.get('path')).toBe('/');
      const cleared = await request(app(false, session({ isSignIn: true }), authRoutes).server).post('/clear').expect(204);
      expect(cookieNamed(cleared, 'refresh_token').attributes.get('path')).toBe('/v2/auth');
    }
  });

  it('a session already past its limit gets a refresh cookie with Max-Age=0, never a negative one', async () => {
    const res = await request(app(false, session({ isSignIn: false, refreshExpiresAt: new Date(ISSUED_AT.getTime() - 5000) })).server)
      .post('/write')
      .expect(200);
    expect(cookieNamed(res, 'refresh_token').attributes.get('max-age')).toBe('0');
  });

  describe('xsrfMatches (double submit)', () => {
    it.each([
      ['token', 'token', true],
      ['token', 'tokeN', false],
      ['token', 'token2', false],
      ['token', undefined, false],
      [undefined, 'token', false],
      [undefined, undefined, false],
      ['', '', false],
    ] as const)('cookie %p, header %p → %p', (cookie, header, expected) => {
      expect(CookieService.xsrfMatches(cookie, header)).toBe(expected);
    });
  });
});
