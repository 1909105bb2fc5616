import { Injectable, Logger } from '@nestjs/common';

export type AuthEvent =
  | 'register'
  | 'login_ok'
  | 'login_failed'
  | 'login_throttled'
  | 'refresh'
  | 'refresh_reuse_within_grace'
  | 'refresh_theft_detected'
  | 'logout'
  | 'logout_all'
  | 'session_revoked';

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
    const line = JSON.stringify({ event, ...fields });
    if (event === 'refresh_theft_detected') this.logger.warn(line);
    else this.logger.log(line);
  }
}
