import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { AUTH_CONFIG } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';

/** Powerful features the app never uses, switched off for every page. */
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), magnetometer=(), gyroscope=(), accelerometer=()';

/**
 * helmet, configured from {@link AuthConfig}, plus Permissions-Policy: on
 * API responses, errors, 404s and the static PWA files alike.
 */
@Injectable()
export class SecurityHeadersMiddleware implements NestMiddleware {
  private readonly helmet: ReturnType<typeof helmet>;

  constructor(@Inject(AUTH_CONFIG) config: AuthConfig) {
    this.helmet = helmet({
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
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      strictTransportSecurity: config.isProduction ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      xContentTypeOptions: true,
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    this.helmet(req, res, next);
  }
}
