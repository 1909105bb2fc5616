import { Inject, Injectable } from '@nestjs/common';
import type { User } from '@latchkey/auth-contract';
import { USER_STORE } from '../auth.constants';
import { EmailTakenError, ExternalProfile, normaliseEmail, type UserStore } from '../users/user-store';
import { GoogleSignInError } from './google-sign-in.error';

/**
 * Who a Google profile signs in as: the user of that identity; else the
 * account with the same email, linked only when Google vouches for the email;
 * else a new user. An unverified email never signs in to anything.
 */
@Injectable()
export class GoogleAccountService {
  constructor(@Inject(USER_STORE) private readonly users: UserStore) {}

  async resolve(google: ExternalProfile): Promise<User> {
    // One form from here on, for the lookups below and for whichever store keeps it.
    const profile = { ...google, email: normaliseEmail(google.email) };
    const known = await this.users.findByIdentity(profile.provider, profile.subject);
    if (known) return known;
    if (!profile.emailVerified || !profile.email) throw new GoogleSignInError('email_not_verified');

    const existing = await this.users.findPasswordCredentials(profile.email);
    if (existing) return this.users.linkIdentity(existing.user.id, profile);
    try {
      return await this.users.createWithIdentity(profile);
    } catch (error) {
      // Someone registered this email a moment ago: link to that account instead.
      if (!(error instanceof EmailTakenError)) throw error;
      const raced = await this.users.findPasswordCredentials(profile.email);
      if (!raced) throw error;
      return this.users.linkIdentity(raced.user.id, profile);
    }
  }
}
