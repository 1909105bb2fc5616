import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { User } from '@latchkey/auth-contract';
import { DataSource } from 'typeorm';
import { inTransaction } from '../database/transaction';
import { AuthEventLogger } from '../events/auth-event-logger';
import { SessionService } from '../sessions/session.service';
import { AccountTokenStore } from '../tokens/account-token.store';
import { EmailTakenError, ExternalProfile, normaliseEmail, type UserStore } from '../users/user-store';
import { GoogleSignInError } from './google-sign-in.error';
import { InjectUserStore } from '../auth.constants';

/**
 * Who a Google profile signs in as: the user of that identity; else the
 * account with the same email, when Google vouches for the email; else a
 * new (verified) user. An unverified Google email never signs in to anything.
 *
 * An existing account is linked when its own email is verified. When it is
 * not, nobody proved the address was theirs (someone may have registered it
 * to squat on it), while Google just did: the Google identity takes the
 * account over (CONTRACT.md "Email").
 */
@Injectable()
export class GoogleAccountService {
  constructor(
    @InjectUserStore() private readonly users: UserStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly tokens: AccountTokenStore,
    private readonly events: AuthEventLogger,
  ) {}

  async resolve(google: ExternalProfile): Promise<User> {
    // One form from here on, for the lookups below and for whichever store keeps it.
    const profile = { ...google, email: normaliseEmail(google.email) };
    const known = await this.users.findByIdentity(profile.provider, profile.subject);
    if (known) return known;
    if (!profile.emailVerified || !profile.email) throw new GoogleSignInError('email_not_verified');

    const existing = await this.users.findPasswordCredentials(profile.email);
    if (existing) return this.attach(existing.user, profile);
    try {
      return await this.users.createWithIdentity(profile);
    } catch (error) {
      // Someone registered this email a moment ago: that account, then.
      if (!(error instanceof EmailTakenError)) throw error;
      const raced = await this.users.findPasswordCredentials(profile.email);
      if (!raced) throw error;
      return this.attach(raced.user, profile);
    }
  }

  private attach(user: User, profile: ExternalProfile): Promise<User> {
    return user.emailVerified ? this.users.linkIdentity(user.id, profile) : this.takeOver(user, profile);
  }

  /**
   * Same id, but nothing of the squatter's stays usable: the password is
   * removed, every session revoked (announced to every instance), every
   * mailed link voided (an email-change link would hand the account back),
   * and the name replaced by Google's. All in one transaction.
   */
  private async takeOver(user: User, profile: ExternalProfile): Promise<User> {
    const taken = await inTransaction(this.dataSource, async (tx) => {
      const cleared = await this.users.update(user.id, { passwordHash: null, emailVerified: true, name: null }, tx);
      if (!cleared) throw new GoogleSignInError('provider_error');
      await this.sessions.revokeAllOfUser(tx, user.id, 'account_taken_over');
      await this.tokens.voidAll(tx, user.id, new Date());
      return this.users.linkIdentity(user.id, profile, tx);
    });
    this.events.log('account_taken_over', { userId: taken.id, reason: 'unverified_email_claimed_by_google' });
    return taken;
  }
}
