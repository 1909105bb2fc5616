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
  | 'session_revoked'
  | 'password_reset_requested'
  | 'password_reset'
  | 'password_changed'
  | 'email_verification_sent'
  | 'email_verified'
  | 'email_change_requested'
  | 'email_changed'
  | 'profile_updated'
  | 'account_deleted'
  | 'account_taken_over'
  | 'reauthentication_failed';

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
  password_reset_requested: 'log',
  password_reset: 'log',
  password_changed: 'log',
  email_verification_sent: 'log',
  email_verified: 'log',
  email_change_requested: 'log',
  email_changed: 'log',
  profile_updated: 'debug',
  account_deleted: 'log',
  // A squatter lost an account they had registered with someone else's address.
  account_taken_over: 'warn',
  reauthentication_failed: 'log',
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
