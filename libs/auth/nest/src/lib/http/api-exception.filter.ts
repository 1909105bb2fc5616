import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import type { ApiError } from '@latchkey/auth-contract';
import { isDatabaseUnavailable } from '../database/database-unavailable';

/**
 * Shapes every error as Nest's `{statusCode, message, error}`, including the
 * ones Nest leaves short (bare 401s, the throttler's 429, body-parser's 413).
 * Database loss becomes 503; anything unexpected is logged and answered
 * as a plain 500 without internals.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (res.headersSent) return;
    const retryAfter = (exception as { retryAfterSeconds?: unknown })?.retryAfterSeconds;
    if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiError {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const response = exception.getResponse();
      const fields = typeof response === 'object' && response !== null ? (response as Partial<ApiError>) : {};
      const message = fields.message ?? (typeof response === 'string' ? response : exception.message);
      return { statusCode, message: cleanMessage(message), error: fields.error ?? reason(statusCode) };
    }
    // body-parser and other Express-level errors carry their status.
    const status = (exception as { status?: unknown; expose?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, message: clientMessage(exception, status), error: reason(status) };
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`database unavailable: ${describe(exception)}`);
      const statusCode = HttpStatus.SERVICE_UNAVAILABLE;
      return { statusCode, message: 'The service is temporarily unavailable; try again shortly', error: reason(statusCode) };
    }
    this.logger.error(describe(exception), exception instanceof Error ? exception.stack : undefined);
    const statusCode = HttpStatus.INTERNAL_SERVER_ERROR;
    return { statusCode, message: 'Internal server error', error: reason(statusCode) };
  }
}

function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** The throttler prefixes its class name; users should not see that. */
function cleanMessage(message: string | string[]): string | string[] {
  return typeof message === 'string' ? message.replace(/^ThrottlerException: /, '') : message;
}

function clientMessage(exception: unknown, status: number): string {
  const type = (exception as { type?: unknown }).type;
  if (type === 'entity.too.large') return 'Request body is larger than 100 KB';
  if (type === 'entity.parse.failed') return 'Request body is not valid JSON';
  const expose = (exception as { expose?: unknown }).expose;
  const message = (exception as { message?: unknown }).message;
  return expose && typeof message === 'string' ? message : reason(status);
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
