import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { GoogleSignInError } from './google-sign-in.error';

/** A failed Google sign-in lands on the login page with a code; the cause goes to the log only. */
@Catch(GoogleSignInError)
export class GoogleSignInErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('GoogleSignIn');

  catch(error: GoogleSignInError, host: ArgumentsHost): void {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : JSON.stringify(error.cause ?? null);
    this.logger.warn(JSON.stringify({ event: 'google_sign_in_failed', code: error.code, cause }));
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, `/login?error=${encodeURIComponent(error.code)}`);
  }
}
