import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { User } from '@latchkey/auth-contract';
import { DataSource } from 'typeorm';
import { AUTH_MESSAGES } from '../auth-messages';
import { inTransaction } from '../database/transaction';
import { AuthEventLogger } from '../events/auth-event-logger';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { MailComposer } from '../mail/mail-composer';
import { MailOutbox } from '../mail/mail-outbox';
import { PasswordAttemptSource, PasswordAuthService } from '../passwords/password-auth.service';
import { PasswordHasher } from '../passwords/password-hasher';
import { SessionService } from '../sessions/session.service';
import { SessionStore } from '../sessions/session.store';
import { AccountTokenStore } from '../tokens/account-token.store';
import { cleanName, type UserStore } from '../users/user-store';
import { Reauthentication } from './reauthentication';
import { InjectUserStore } from '../auth.constants';

/** What a signed-in user does to their own account: rename it, change its password, delete it. */
@Injectable()
export class AccountService {
  constructor(
    @InjectUserStore() private readonly users: UserStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly passwords: PasswordAuthService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly sessionStore: SessionStore,
    private readonly tokens: AccountTokenStore,
    private readonly reauthentication: Reauthentication,
    private readonly composer: MailComposer,
    private readonly outbox: MailOutbox,
    private readonly events: AuthEventLogger,
  ) {}

  /** `PATCH /auth/me`: the name as stored (cleaned; blank → none). */
  async rename(caller: AuthenticatedCaller, name: string | null): Promise<User> {
    const user = await this.users.update(caller.userId, { name: cleanName(name) });
    if (!user) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    this.events.log('profile_updated', { userId: user.id });
    return user;
  }

  /**
   * `POST /auth/password/change`: the current password is checked as a
   * sign-in attempt (a wrong one counts against the limits); then, in one
   * transaction, the new one is set, every other session revoked and the
   * "password changed" mail queued. The caller's session stays.
   */
  async changePassword(caller: AuthenticatedCaller, currentPassword: string, newPassword: string, source: PasswordAttemptSource): Promise<void> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    if (!user.providers.includes('password')) throw new ForbiddenException(AUTH_MESSAGES.noPasswordToChange);
    if (!(await this.passwords.confirmPassword(user, currentPassword, source))) throw new ForbiddenException(AUTH_MESSAGES.wrongCurrentPassword);
    const passwordHash = await this.hasher.hash(newPassword);
    await inTransaction(this.dataSource, async (tx) => {
      const updated = await this.users.update(user.id, { passwordHash }, tx);
      if (!updated) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
      await this.sessions.revokeAllOfUser(tx, user.id, 'password_changed', caller.sessionId);
      await this.outbox.enqueue(tx, this.composer.passwordChanged(updated.email, updated.id));
    });
    this.events.log('password_changed', { userId: user.id, sessionId: caller.sessionId });
  }

  /**
   * `DELETE /auth/me`, after re-authentication, in one transaction: every
   * session is revoked and announced (so other instances refuse its access
   * tokens at the commit), then the sessions, the mailed links, the mails not
   * yet sent and the user with their identities are deleted.
   */
  async delete(caller: AuthenticatedCaller, password: string | undefined, source: PasswordAttemptSource): Promise<void> {
    const user = await this.reauthentication.confirm(caller, password, source);
    await inTransaction(this.dataSource, async (tx) => {
      await this.sessions.revokeAllOfUser(tx, user.id, 'account_deleted');
      await this.sessionStore.deleteOfUser(tx, user.id);
      await this.tokens.deleteOfUser(tx, user.id);
      await this.outbox.discardPending(tx, user.id);
      await this.users.delete(user.id, tx);
    });
    this.events.log('account_deleted', { userId: user.id });
  }
}
