import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { User } from '@latchkey/auth-contract';
import { AUTH_MESSAGES } from '../auth-messages';
import { AuthEventLogger } from '../events/auth-event-logger';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { PasswordAttemptSource, PasswordAuthService } from '../passwords/password-auth.service';
import { SessionService } from '../sessions/session.service';
import type { UserStore } from '../users/user-store';
import { InjectUserStore } from '../auth.constants';

/** How recent a sign-in must be to stand in for a password (CONTRACT.md "Re-authentication"). */
export const REAUTHENTICATION_WINDOW_MS = 10 * 60 * 1000;

/**
 * Proof, again, that the caller is the account's owner, before what a stolen
 * session must not do alone (delete the account, change its email): the
 * current password when the account has one (a wrong one counts as a failed
 * sign-in), else a session that signed in within the last 10 minutes.
 */
@Injectable()
export class Reauthentication {
  constructor(
    @InjectUserStore() private readonly users: UserStore,
    private readonly passwords: PasswordAuthService,
    private readonly sessions: SessionService,
    private readonly events: AuthEventLogger,
  ) {}

  /** The caller's user once re-authenticated; 403 (or 429 past the sign-in limits) otherwise. */
  async confirm(caller: AuthenticatedCaller, password: string | undefined, source: PasswordAttemptSource, now = new Date()): Promise<User> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw new UnauthorizedException(AUTH_MESSAGES.unauthenticated);
    if (user.providers.includes('password')) {
      // Nothing was guessed: not a failure to count.
      if (password === undefined) throw this.refused(user, 'password_missing', AUTH_MESSAGES.passwordRequired);
      if (!(await this.passwords.confirmPassword(user, password, source))) throw this.refused(user, 'wrong_password', AUTH_MESSAGES.wrongPassword);
      return user;
    }
    const signedInAt = await this.sessions.signedInAt(caller);
    if (!isRecentSignIn(signedInAt, now)) throw this.refused(user, 'sign_in_too_old', AUTH_MESSAGES.signInAgain);
    return user;
  }

  private refused(user: User, reason: string, message: string): ForbiddenException {
    this.events.log('reauthentication_failed', { userId: user.id, reason });
    return new ForbiddenException(message);
  }
}

/** A session signed in at `signedInAt` (null: none live) stands in for a password at `now`. */
export function isRecentSignIn(signedInAt: Date | null, now: Date): boolean {
  if (!signedInAt) return false;
  const age = now.getTime() - signedInAt.getTime();
  return age <= REAUTHENTICATION_WINDOW_MS;
}
