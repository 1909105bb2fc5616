import { Injectable, Logger, LogLevel } from '@nestjs/common';

export type AuthEvent =
  | 'register'
  | 'login_ok'
  | 'login_failed'
  | 'login_throttled'
  | 'refresh'
  | 'refresh_failed'
  | 'refresh_reuse_within_grace'
  | 'refresh_theft_detected'
  | 'logout'
  | 'logout_all'
  | 'session_revoked';

/**
 * A successful refresh happens once per access-token lifetime per open tab:
 * by far the most frequent event and routine, so it is `debug` (shown with
 * LOG_LEVEL=debug, the development default). Sign-ins, failures and
 * revocations are what an audit trail is for.
 */
const EVENT_LEVELS: Record<AuthEvent, Extract<LogLevel, 'debug' | 'log' | 'warn'>> = {
  register: 'log',
  login_ok: 'log',
  login_failed: 'log',
  login_throttled: 'log',
  refresh: 'debug',
  refresh_failed: 'log',
  refresh_reuse_within_grace: 'debug',
  refresh_theft_detected: 'warn',
  logout: 'log',
  logout_all: 'log',
  session_revoked: 'log',
};

/** Ids and reasons only: never a token, hash, password, cookie or email in full. */
export interface AuthEventFields {
  userId?: string;
  sessionId?: string;
  reason?: string;
  count?: number;
}

/** One structured line per auth event, for audit and alerting. */
@Injectable()
export class AuthEventLogger {
  private readonly logger = new Logger('AuthEvents');

  log(event: AuthEvent, fields: AuthEventFields = {}): void {
    this.logger[EVENT_LEVELS[event]](JSON.stringify({ event, ...fields }));
  }
}
