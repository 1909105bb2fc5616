import { BadRequestException, ConflictException, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { User } from '@latchkey/auth-contract';
import { DataSource } from 'typeorm';
import { AUTH_MESSAGES } from '../auth-messages';
import type { AuthConfig } from '../config/auth-config';
import { afterCommit } from '../database/after-commit';
import { inTransaction } from '../database/transaction';
import { AuthEventLogger } from '../events/auth-event-logger';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { MailComposer } from '../mail/mail-composer';
import { MailOutbox } from '../mail/mail-outbox';
import type { PasswordAttemptSource } from '../passwords/password-auth.service';
import { ACCOUNT_RATE_LIMITS, RateLimiter } from '../throttling/rate-limiter';
import { AccountTokenStore } from '../tokens/account-token.store';
import { EmailTakenError, normaliseEmail, type UserStore } from '../users/user-store';
import { EmailVerificationMail } from '../tokens/email-verification-mail';
import { Reauthentication } from './reauthentication';
import { InjectAuthConfig, InjectUserStore } from '../auth.constants';

/**
 * Proving an address: verification links (on request, and when a sign-in is
 * refused for an unverified address), and changing the address, which takes
 * effect only once a link mailed to the new one is used.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    @InjectUserStore() private readonly users: UserStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccountTokenStore,
    private readonly verificationMail: EmailVerificationMail,
    private readonly composer: MailComposer,
    private readonly outbox: MailOutbox,
    private readonly limiter: RateLimiter,
    private readonly reauthentication: Reauthentication,
    private readonly events: AuthEventLogger,
  ) {}

  /** `POST /auth/email/verification`: a new link, unless the address is verified already (429 past 5 an hour). */
  async request(caller: AuthenticatedCaller): Promise<void> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    if (user.emailVerified) return;
    await this.limiter.take(ACCOUNT_RATE_LIMITS.verificationMailPerUser, user.id, AUTH_MESSAGES.tooManyVerificationMails);
    await inTransaction(this.dataSource, (tx) => this.verificationMail.queue(tx, user));
  }

  /**
   * EMAIL_VERIFICATION=required and the password was right, but the address
   * is unproven: a fresh link (within the same hourly budget; past it, none)
   * and a 403.
   */
  async refuseUnverifiedSignIn(user: User): Promise<never> {
    const budget = await this.limiter.hit(ACCOUNT_RATE_LIMITS.verificationMailPerUser, user.id);
    if (budget.isAllowed) await inTransaction(this.dataSource, (tx) => this.verificationMail.queue(tx, user));
    this.events.log('login_failed', { userId: user.id, reason: 'email_not_verified' });
    throw new ForbiddenException(AUTH_MESSAGES.emailNotVerified);
  }

  /**
   * `POST /auth/email/verify`: a verification link proves the address; an
   * email-change link moves the account to its new address (proven by the
   * link) and tells the old one. Every other link of the account dies with
   * an address change: they were mailed to, or are about, the old address.
   */
  async verify(token: string): Promise<User> {
    const now = new Date();
    const grant = await this.tokens.peek(token, ['email_verification', 'email_change'], now);
    const before = grant && (await this.users.findById(grant.userId));
    if (!grant || !before) throw new BadRequestException(AUTH_MESSAGES.invalidAccountToken);
    try {
      const user = await inTransaction(this.dataSource, async (tx) => {
        const used = await this.tokens.consume(tx, token, [grant.purpose], now);
        if (!used || used.userId !== before.id) throw new BadRequestException(AUTH_MESSAGES.invalidAccountToken);
        if (used.purpose === 'email_verification') return this.users.update(before.id, { emailVerified: true }, tx);
        const newEmail = used.newEmail as string;
        const changed = await this.users.update(before.id, { email: newEmail, emailVerified: true }, tx);
        await this.tokens.voidAll(tx, before.id, now);
        await this.outbox.enqueue(tx, this.composer.emailChanged(before.email, newEmail, before.id));
        return changed;
      });
      if (!user) throw new BadRequestException(AUTH_MESSAGES.invalidAccountToken);
      this.events.log(grant.purpose === 'email_change' ? 'email_changed' : 'email_verified', { userId: user.id });
      return user;
    } catch (error) {
      // Rolled back: the link stays usable, should the address become free again.
      if (error instanceof EmailTakenError) throw new ConflictException(AUTH_MESSAGES.emailTakenMeanwhile);
      throw error;
    }
  }

  /**
   * `POST /auth/email/change`: after re-authentication, a confirmation link
   * to the new address (voiding older change links); nothing changes until
   * it is used.
   */
  async requestChange(caller: AuthenticatedCaller, newEmail: string, password: string | undefined, source: PasswordAttemptSource): Promise<void> {
    const user = await this.reauthentication.confirm(caller, password, source);
    const address = normaliseEmail(newEmail);
    if (address === user.email) throw new BadRequestException(AUTH_MESSAGES.sameEmail);
    if (await this.users.findPasswordCredentials(address)) throw new ConflictException(AUTH_MESSAGES.emailTaken);
    await inTransaction(this.dataSource, async (tx) => {
      const { token } = await this.tokens.issue(tx, {
        userId: user.id,
        purpose: 'email_change',
        newEmail: address,
        ttlSeconds: this.config.emailTokenTtlSeconds,
        voidsOlder: true,
        now: new Date(),
      });
      await this.outbox.enqueue(tx, this.composer.emailChangeConfirmation(address, user.id, token));
      afterCommit(tx, () => this.events.log('email_change_requested', { userId: user.id }));
    });
  }
}
