import express, { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import type { AuthConfig } from '../config/auth-config';
import type { AuthRoutes } from '../config/auth-routes';
import { SecurityHeadersMiddleware } from './security-headers.middleware';

/** A real Express app with the middleware first, as the API mounts it: the PWA's pages, and the API under /api/v1. */
function app(isProduction: boolean) {
  const middleware = new SecurityHeadersMiddleware({ isProduction } as AuthConfig, { apiRoot: '/api/v1' } as AuthRoutes);
  const server = express();
  server.use((req: Request, res: Response, next: NextFunction) => middleware.use(req, res, next));
  server.get('/api/v1/auth/me', (_req, res) => {
    res.json({ ok: true });
  });
  server.get(['/login', '/api/v1x', '/api'], (_req, res) => {
    res.type('html').send('<!doctype html><title>Sign in</title>');
  });
  server.get(['/boom', '/api/v1/boom'], () => {
    throw new Error('boom');
  });
  // Nest answers unknown routes and errors itself (Express' final handler would set its own CSP).
  server.use((_req: Request, res: Response) => {
    res.status(404).json({ message: 'Not Found' });
  });
  server.use((error: Error, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    res.status(500).json({ message: error.message });
  });
  return server;
}

function directivesOf(csp: string): Map<string, string> {
  return new Map(
    csp
      .split(';')
      .map((directive) => directive.trim())
      .filter(Boolean)
      .map((directive) => {
        const [name, ...values] = directive.split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
  );
}

const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), magnetometer=(), gyroscope=(), accelerometer=()';

describe('SecurityHeadersMiddleware', () => {
  describe.each([
    { env: 'development', isProduction: false },
    { env: 'production', isProduction: true },
  ])('in $env', ({ isProduction }) => {
    it.each(['/login', '/api/v1/auth/me'])('sets the clickjacking, sniffing, referrer and isolation headers on %s', async (path) => {
      const res = await request(app(isProduction)).get(path).expect(200);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      // Off: it would block Google profile pictures, which send no CORP header.
      expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
      expect(res.headers['permissions-policy']).toMatch(/(^|, )microphone=\(\)/);
    });

    it('a page’s CSP allows this origin only (plus Google avatars and inline styles) and no framing', async () => {
      const res = await request(app(isProduction)).get('/login').expect(200);
      expect(res.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
      const directives = directivesOf(res.headers['content-security-policy'] ?? '');
      expect(Object.fromEntries(directives)).toEqual({
        'default-src': "'self'",
        'base-uri': "'self'",
        'connect-src': "'self'",
        'font-src': "'self' data:",
        'form-action': "'self'",
        'frame-ancestors': "'none'",
        'img-src': "'self' data: https://*.googleusercontent.com",
        'manifest-src': "'self'",
        'object-src': "'none'",
        'script-src': "'self'",
        'script-src-attr': "'none'",
        'style-src': "'self' 'unsafe-inline'",
        'worker-src': "'self'",
        // Only behind HTTPS: in development it would break http://localhost.
        ...(isProduction ? { 'upgrade-insecure-requests': '' } : {}),
      });
      expect(res.headers['content-security-policy-report-only']).toBeUndefined();
    });

    it('an API answer carries the contract’s short CSP and none of the page-only headers', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
      expect(Object.fromEntries(directivesOf(res.headers['content-security-policy'] ?? ''))).toEqual({
        'default-src': "'self'",
        'frame-ancestors': "'none'",
        'object-src': "'none'",
      });
      for (const pageOnly of ['origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']) {
        expect([pageOnly, res.headers[pageOnly]]).toEqual([pageOnly, undefined]);
      }
      const page = await request(app(isProduction)).get('/login').expect(200);
      expect(page.headers['x-xss-protection']).toBe('0');
    });

    it.each(['/api/v1x', '/api'])('%s is outside the API prefix: a page', async (path) => {
      const res = await request(app(isProduction)).get(path).expect(200);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    });

    it(isProduction ? 'sends HSTS for a year, subdomains included' : 'sends no HSTS (it would pin localhost to HTTPS)', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
      expect(res.headers['strict-transport-security']).toBe(isProduction ? 'max-age=31536000; includeSubDomains' : undefined);
    });

    it('does not tell what the server runs', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it.each([
      { okPath: '/login', failing: ['/boom', '/missing.js'] },
      { okPath: '/api/v1/auth/me', failing: ['/api/v1/boom', '/api/v1/missing?x=1'] },
    ])('puts the same headers on errors and 404s as on $okPath', async ({ okPath, failing }) => {
      const server = app(isProduction);
      const ok = await request(server).get(okPath).expect(200);
      const [error, missing] = [await request(server).get(failing[0]).expect(500), await request(server).get(failing[1]).expect(404)];
      for (const res of [error, missing]) {
        for (const name of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'permissions-policy', 'strict-transport-security']) {
          expect([name, res.headers[name]]).toEqual([name, ok.headers[name]]);
        }
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  it('every request gets the full set, not only the first one', async () => {
    const server = app(true);
    const first = await request(server).get('/login');
    const second = await request(server).get('/login');
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    expect(second.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(second.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
  });
});
