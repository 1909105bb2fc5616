import { ConflictException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { User } from '@latchkey/auth-contract';
import { DataSource } from 'typeorm';
import { EmailVerificationMail } from '../tokens/email-verification-mail';
import { AUTH_MESSAGES } from '../auth-messages';
import { inTransaction } from '../database/transaction';
import { AuthEventLogger } from '../events/auth-event-logger';
import { DeviceTokens } from '../throttling/device-tokens';
import { LoginAttemptLimiter, ReservedLoginAttempt, TooManyLoginAttemptsException } from '../throttling/login-attempt-limiter';
import { EmailTakenError, normaliseEmail, type UserStore } from '../users/user-store';
import { PasswordHasher } from './password-hasher';
import { InjectUserStore } from '../auth.constants';

/** One message for unknown email and wrong password: no account discovery. */
export const INVALID_CREDENTIALS_MESSAGE = AUTH_MESSAGES.invalidCredentials;

/** Where a password attempt comes from, for the sign-in limits. */
export interface PasswordAttemptSource {
  ip: string;
  /** The browser's device cookie, if any. */
  deviceToken?: string;
}

/** Email + password: registering, and proving who you are. */
@Injectable()
export class PasswordAuthService {
  constructor(
    @InjectUserStore() private readonly users: UserStore,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginAttemptLimiter,
    private readonly devices: DeviceTokens,
    private readonly verificationMail: EmailVerificationMail,
    private readonly events: AuthEventLogger,
  ) {}

  /** A new, unverified account; its verification mail is queued in the same transaction. */
  async register(email: string, password: string, name: string | undefined): Promise<User> {
    const passwordHash = await this.hasher.hash(password);
    try {
      const user = await inTransaction(this.dataSource, async (tx) => {
        const created = await this.users.createWithPassword({ email: normaliseEmail(email), name: name?.trim() || null, passwordHash }, tx);
        await this.verificationMail.queue(tx, created);
        return created;
      });
      this.events.log('register', { userId: user.id });
      return user;
    } catch (error) {
      if (error instanceof EmailTakenError) throw new ConflictException(AUTH_MESSAGES.emailTaken);
      throw error;
    }
  }

  /**
   * The user whose password this is. The attempt is reserved against the
   * sign-in limits before the password is checked (see {@link LoginAttemptLimiter}),
   * against this browser alone when `deviceToken` is a valid device cookie for
   * the account.
   */
  async verify(email: string, password: string, ip: string, deviceToken?: string): Promise<User> {
    const normalised = normaliseEmail(email);
    const seen: { user?: User } = {};
    const ok = await this.attempt(normalised, { ip, deviceToken }, async () => {
      const found = await this.users.findPasswordCredentials(normalised);
      seen.user = found?.user;
      return this.hasher.verify(found?.passwordHash ?? null, password);
    });
    const user = seen.user;
    if (!user || !ok) {
      this.events.log('login_failed', { userId: user?.id, reason: user ? 'wrong_password' : 'unknown_email' });
      throw new UnauthorizedException(INVALID_CREDENTIALS_MESSAGE);
    }
    return user;
  }

  /**
   * Whether `password` is the signed-in user's current one (changing the
   * password, re-authentication). It counts as a sign-in attempt, under the
   * same limits: a wrong one is a failure (429 past the limit).
   */
  async confirmPassword(user: User, password: string, source: PasswordAttemptSource): Promise<boolean> {
    const ok = await this.attempt(user.email, source, async () => this.hasher.verify(await this.users.passwordHashOf(user.id), password));
    if (!ok) this.events.log('login_failed', { userId: user.id, reason: 'wrong_current_password' });
    return ok;
  }

  /**
   * Reserves an attempt, runs `check`, and keeps the reservation (it is this
   * failure's count) unless the check passed or ended without a verdict.
   */
  private async attempt(email: string, source: PasswordAttemptSource, check: () => Promise<boolean>): Promise<boolean> {
    const deviceId = this.devices.deviceOf(source.deviceToken, email);
    let attempt: ReservedLoginAttempt;
    try {
      attempt = await this.limiter.reserve({ email, ip: source.ip, deviceId });
    } catch (error) {
      if (error instanceof TooManyLoginAttemptsException) this.events.log('login_throttled', { reason: deviceId ? 'device' : 'email_or_ip' });
      throw error;
    }
    let ok: boolean;
    try {
      ok = await check();
    } catch (error) {
      // No verdict (the database is down): not a failure of the user's.
      await attempt.release().catch(() => undefined);
      throw error;
    }
    if (ok) await attempt.release();
    return ok;
  }
}
