import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AuthConfig } from '../config/auth-config';
import { InjectAuthConfig } from '../auth.constants';
import { AuthRoutes } from '../config/auth-routes';

/** Powerful features the app never uses, switched off for every page. */
const PAGE_PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), magnetometer=(), gyroscope=(), accelerometer=()';
/** The contract's minimum for answers that are never a document. */
const API_PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

/**
 * helmet, configured from {@link AuthConfig}, plus Permissions-Policy, on
 * every response: API answers, errors, 404s and the static PWA files alike.
 *
 * Two sets: pages (everything outside the API prefix: the PWA, its files,
 * client routes) get the full policy a document needs; answers under the API
 * prefix are JSON that no browser renders as a page, so they carry what the
 * contract names for every response (a short CSP with `default-src 'self'`,
 * `frame-ancestors 'none'`, `object-src 'none'`, framing, sniffing, referrer,
 * isolation, HSTS in production) and none of the document-only headers: a
 * third of the bytes, on the hottest answers.
 *
 * With these options helmet's headers depend on nothing in the request (no
 * CSP nonce), so it runs once at start-up against a recording response and
 * each request replays what it set: the same headers at a fraction of the
 * cost of a dozen chained middlewares.
 */
@Injectable()
export class SecurityHeadersMiddleware implements NestMiddleware {
  private readonly page: RecordedHeaders;
  private readonly api: RecordedHeaders;
  private apiRoot?: string;

  constructor(
    @InjectAuthConfig() config: AuthConfig,
    private readonly routes: AuthRoutes,
  ) {
    const common = {
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      xContentTypeOptions: true,
    } as const;
    this.page = recordHeaders(
      helmet({
        ...common,
        contentSecurityPolicy: {
          useDefaults: false,
          directives: {
            defaultSrc: ["'self'"],
            baseUri: ["'self'"],
            connectSrc: ["'self'"],
            fontSrc: ["'self'", 'data:'],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            // Google profile pictures are shown on the account page.
            imgSrc: ["'self'", 'data:', 'https://*.googleusercontent.com'],
            manifestSrc: ["'self'"],
            objectSrc: ["'none'"],
            scriptSrc: ["'self'"],
            scriptSrcAttr: ["'none'"],
            // Angular and Material add component styles at run time.
            styleSrc: ["'self'", "'unsafe-inline'"],
            workerSrc: ["'self'"],
            ...(config.isProduction ? { upgradeInsecureRequests: [] } : {}),
          },
        },
      }),
      PAGE_PERMISSIONS_POLICY,
    );
    this.api = recordHeaders(
      helmet({
        ...common,
        contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"] } },
        // Document-only headers: they mean nothing on a JSON answer.
        originAgentCluster: false,
        xDnsPrefetchControl: false,
        xDownloadOptions: false,
        xPermittedCrossDomainPolicies: false,
        xXssProtection: false,
      }),
      API_PERMISSIONS_POLICY,
    );
  }

  use(req: Request, res: Response, next: NextFunction): void {
    const { set, removed } = this.isApiRequest(req.url) ? this.api : this.page;
    for (let i = 0; i < set.length; i++) res.setHeader(set[i][0], set[i][1]);
    for (let i = 0; i < removed.length; i++) res.removeHeader(removed[i]);
    next();
  }

  /** Under the API prefix; with none (Latchkey at the root) everything gets the page set, the stricter one. */
  private isApiRequest(url: string): boolean {
    // Read on first use: hosts set the global prefix after creating the app.
    const root = (this.apiRoot ??= this.routes.apiRoot);
    if (root === '' || !url.startsWith(root)) return false;
    const next = url.charCodeAt(root.length);
    return Number.isNaN(next) || next === SLASH || next === QUESTION_MARK;
  }
}

const SLASH = 0x2f;
const QUESTION_MARK = 0x3f;

interface RecordedHeaders {
  readonly set: ReadonlyArray<readonly [string, string]>;
  readonly removed: readonly string[];
}

/** What a request-independent middleware sets and removes on a response. */
function recordHeaders(middleware: ReturnType<typeof helmet>, permissionsPolicy: string): RecordedHeaders {
  const set = new Map<string, string>();
  const removed: string[] = [];
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return res;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
  };
  let finished = false;
  middleware({} as Request, res as unknown as Response, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish synchronously');
  set.set('Permissions-Policy', permissionsPolicy);
  return { set: [...set], removed };
}
