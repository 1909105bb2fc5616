import express, { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import type { AuthConfig } from '../config/auth-config';
import { SecurityHeadersMiddleware } from './security-headers.middleware';

/** A real Express app with the middleware first, as the API mounts it. */
function app(isProduction: boolean) {
  const middleware = new SecurityHeadersMiddleware({ isProduction } as AuthConfig);
  const server = express();
  server.use((req: Request, res: Response, next: NextFunction) => middleware.use(req, res, next));
  server.get('/api/v1/auth/me', (_req, res) => {
    res.json({ ok: true });
  });
  server.get('/boom', () => {
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
    it('sets the clickjacking, sniffing, referrer and isolation headers', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      // Off: it would block Google profile pictures, which send no CORP header.
      expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
      expect(res.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
    });

    it('a CSP that allows this origin only (plus Google avatars and inline styles) and no framing', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
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

    it(isProduction ? 'sends HSTS for a year, subdomains included' : 'sends no HSTS (it would pin localhost to HTTPS)', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
      expect(res.headers['strict-transport-security']).toBe(isProduction ? 'max-age=31536000; includeSubDomains' : undefined);
    });

    it('does not tell what the server runs', async () => {
      const res = await request(app(isProduction)).get('/api/v1/auth/me').expect(200);
      expect(res.headers['x-powered-by']).toBeUndefined();
    });

    it('puts the same headers on errors and 404s', async () => {
      const server = app(isProduction);
      const ok = await request(server).get('/api/v1/auth/me').expect(200);
      for (const res of [await request(server).get('/boom').expect(500), await request(server).get('/missing.js').expect(404)]) {
        for (const name of ['content-security-policy', 'x-frame-options', 'x-content-type-options', 'referrer-policy', 'permissions-policy', 'strict-transport-security']) {
          expect([name, res.headers[name]]).toEqual([name, ok.headers[name]]);
        }
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  it('every request gets the full set, not only the first one', async () => {
    const server = app(true);
    const first = await request(server).get('/api/v1/auth/me');
    const second = await request(server).get('/api/v1/auth/me');
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    expect(second.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(second.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
  });
});
