import { Injectable, NotFoundException } from '@nestjs/common';
import type { SessionInfo } from '@latchkey/auth-contract';
import type { EntityManager } from 'typeorm';
import { afterCommit } from '../database/after-commit';
import { AuthEventLogger } from '../events/auth-event-logger';
import { AuthenticatedCaller, isUuid } from '../tokens/authenticated-caller';
import { hashRefreshToken, isWellFormedRefreshToken } from '../tokens/refresh-token';
import { RevocationRegistry } from './revocation-registry';
import { RevocationReason, RevocationTarget, SessionStore } from './session.store';
import { AUTH_MESSAGES } from '../auth-messages';

/** Listing and ending sessions; every revocation reaches the registry at once. */
@Injectable()
export class SessionService {
  constructor(
    private readonly store: SessionStore,
    private readonly revocations: RevocationRegistry,
    private readonly events: AuthEventLogger,
  ) {}

  list(caller: AuthenticatedCaller): Promise<SessionInfo[]> {
    return this.store.listActive(caller.userId, caller.sessionId, new Date());
  }

  /**
   * Ends the session named by the refresh cookie or, failing that, the access
   * token. Never fails: a missing or bad cookie just means nothing to end.
   */
  async logout(refreshToken: unknown, caller: AuthenticatedCaller | null): Promise<void> {
    let target: { sessionId: string; userId?: string } | null = null;
    if (isWellFormedRefreshToken(refreshToken)) target = await this.store.findSessionOfToken(hashRefreshToken(refreshToken));
    target ??= caller ? { sessionId: caller.sessionId, userId: caller.userId } : null;
    if (!target) return;
    const ids = await this.revoke({ sessionId: target.sessionId }, 'logout');
    if (ids.length) this.events.log('logout', { userId: target.userId, sessionId: target.sessionId });
  }

  async logoutAll(caller: AuthenticatedCaller): Promise<void> {
    const ids = await this.revoke({ userId: caller.userId }, 'logout_all');
    this.events.log('logout_all', { userId: caller.userId, sessionId: caller.sessionId, count: ids.length });
  }

  /** 404 for unknown ids and for other users' sessions alike. */
  async delete(caller: AuthenticatedCaller, sessionId: string): Promise<void> {
    const ids = isUuid(sessionId) ? await this.revoke({ sessionId, userId: caller.userId }, 'deleted') : [];
    if (ids.length === 0) throw new NotFoundException(AUTH_MESSAGES.sessionNotFound);
    this.events.log('session_revoked', { userId: caller.userId, sessionId, reason: 'deleted' });
  }

  /**
   * Revokes every session of a user (but `exceptSessionId`) inside the
   * caller's transaction, the way logout-all does: the rows and the NOTIFY
   * that tells the other instances commit together, and this instance's
   * registry learns of them once they have committed (a rollback revokes nothing).
   */
  async revokeAllOfUser(tx: EntityManager, userId: string, reason: RevocationReason, exceptSessionId?: string): Promise<string[]> {
    const now = new Date();
    const ids = await this.store.revoke({ userId, exceptSessionId }, reason, now, tx);
    afterCommit(tx, () => {
      this.revocations.add(ids, now.getTime());
      if (ids.length) this.events.log('session_revoked', { userId, reason, count: ids.length });
    });
    return ids;
  }

  /** When the caller's session signed in (for re-authentication); null when it is no longer live. */
  signedInAt(caller: AuthenticatedCaller): Promise<Date | null> {
    return this.store.signedInAt(caller.sessionId);
  }

  private async revoke(where: RevocationTarget, reason: RevocationReason): Promise<string[]> {
    const now = new Date();
    const ids = await this.store.revoke(where, reason, now);
    this.revocations.add(ids, now.getTime());
    return ids;
  }
}
