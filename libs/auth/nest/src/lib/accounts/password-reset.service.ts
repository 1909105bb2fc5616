import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AUTH_MESSAGES } from '../auth-messages';
import type { AuthConfig } from '../config/auth-config';
import { inTransaction } from '../database/transaction';
import { AuthEventLogger } from '../events/auth-event-logger';
import { MailComposer } from '../mail/mail-composer';
import { MailOutbox } from '../mail/mail-outbox';
import { PasswordHasher } from '../passwords/password-hasher';
import { SessionService } from '../sessions/session.service';
import { LoginAttemptLimiter } from '../throttling/login-attempt-limiter';
import { ACCOUNT_RATE_LIMITS, RateLimiter } from '../throttling/rate-limiter';
import { AccountTokenStore } from '../tokens/account-token.store';
import { normaliseEmail, type UserStore } from '../users/user-store';
import { InjectAuthConfig, InjectUserStore } from '../auth.constants';

/**
 * "Forgot password": a single-use link to the account's address, then a new
 * password through it, which also proves the address and signs every
 * session out. Nothing here tells whether an address has an account.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    @InjectUserStore() private readonly users: UserStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccountTokenStore,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly composer: MailComposer,
    private readonly outbox: MailOutbox,
    private readonly limiter: RateLimiter,
    private readonly attempts: LoginAttemptLimiter,
    private readonly events: AuthEventLogger,
  ) {}

  /**
   * `POST /auth/password/forgot`. 429 past 20 an hour from one IP. Past 3 an
   * hour for one address, nothing is sent (the answer stays 202). An unknown
   * address costs what a known one does: the same lookup, token, mail
   * rendering and transaction, whose token insert finds no user to write
   * for and whose outbox row is rolled back to a savepoint.
   */
  async forgot(email: string, ip: string): Promise<void> {
    await this.limiter.take(ACCOUNT_RATE_LIMITS.passwordResetPerIp, ip, AUTH_MESSAGES.tooManyResetRequests);
    const address = normaliseEmail(email);
    if (!(await this.limiter.hit(ACCOUNT_RATE_LIMITS.passwordResetPerEmail, address)).isAllowed) return;
    const user = (await this.users.findPasswordCredentials(address))?.user ?? null;
    const userId = user?.id ?? randomUUID();
    await inTransaction(this.dataSource, async (tx) => {
      const { token, isStored } = await this.tokens.issue(tx, {
        userId,
        purpose: 'password_reset',
        ttlSeconds: this.config.passwordResetTtlSeconds,
        voidsOlder: true,
        now: new Date(),
      });
      const mail = this.composer.passwordReset(user?.email ?? address, userId, token);
      if (isStored) return this.outbox.enqueue(tx, mail);
      // The same outbox write, undone: the transaction then commits a write as a known address's does.
      await tx.query('SAVEPOINT latchkey_unknown_address');
      await this.outbox.enqueue(tx, { ...mail, userId: null });
      await tx.query('ROLLBACK TO SAVEPOINT latchkey_unknown_address');
    });
    if (user) this.events.log('password_reset_requested', { userId: user.id });
  }

  /**
   * `POST /auth/password/reset`: in one transaction, the token is used, the
   * password set (a Google-only account gains one), the address counts as
   * verified, every session is revoked (announced to every instance) and the
   * "password changed" mail queued.
   */
  async reset(token: string, password: string): Promise<void> {
    const now = new Date();
    // Checked first, so that a dead link costs no argon2 hashing.
    if (!(await this.tokens.peek(token, ['password_reset'], now))) throw new BadRequestException(AUTH_MESSAGES.invalidAccountToken);
    const passwordHash = await this.hasher.hash(password);
    const user = await inTransaction(this.dataSource, async (tx) => {
      const grant = await this.tokens.consume(tx, token, ['password_reset'], now);
      const updated = grant && (await this.users.update(grant.userId, { passwordHash, emailVerified: true }, tx));
      if (!updated) throw new BadRequestException(AUTH_MESSAGES.invalidAccountToken);
      await this.sessions.revokeAllOfUser(tx, updated.id, 'password_reset');
      await this.outbox.enqueue(tx, this.composer.passwordChanged(updated.email, updated.id));
      return updated;
    });
    // The mailbox is proven: a lockout of the address ends (other instances share the counts through Redis).
    await this.attempts.forgetFailuresOf(user.email);
    this.events.log('password_reset', { userId: user.id });
  }
}
