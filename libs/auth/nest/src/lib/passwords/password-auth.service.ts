import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { User } from '@latchkey/auth-contract';
import { USER_STORE } from '../auth.constants';
import { AuthEventLogger } from '../events/auth-event-logger';
import { DeviceTokens } from '../throttling/device-tokens';
import { LoginAttemptLimiter, ReservedLoginAttempt, TooManyLoginAttemptsException } from '../throttling/login-attempt-limiter';
import { EmailTakenError, normaliseEmail, type UserStore } from '../users/user-store';
import { PasswordHasher } from './password-hasher';

/** One message for unknown email and wrong password: no account discovery. */
export const INVALID_CREDENTIALS_MESSAGE = 'Email or password is incorrect';

/** Email + password: registering, and proving who you are. */
@Injectable()
export class PasswordAuthService {
  constructor(
    @Inject(USER_STORE) private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly limiter: LoginAttemptLimiter,
    private readonly devices: DeviceTokens,
    private readonly events: AuthEventLogger,
  ) {}

  async register(email: string, password: string, name: string | undefined): Promise<User> {
    const passwordHash = await this.hasher.hash(password);
    try {
      const user = await this.users.createWithPassword({ email: normaliseEmail(email), name: name?.trim() || null, passwordHash });
      this.events.log('register', { userId: user.id });
      return user;
    } catch (error) {
      if (error instanceof EmailTakenError) throw new ConflictException('An account with this email already exists');
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
    const deviceId = this.devices.deviceOf(deviceToken, normalised);
    let attempt: ReservedLoginAttempt;
    try {
      attempt = await this.limiter.reserve({ email: normalised, ip, deviceId });
    } catch (error) {
      if (error instanceof TooManyLoginAttemptsException) this.events.log('login_throttled', { reason: deviceId ? 'device' : 'email_or_ip' });
      throw error;
    }
    let found: Awaited<ReturnType<UserStore['findPasswordCredentials']>>;
    let ok: boolean;
    try {
      found = await this.users.findPasswordCredentials(normalised);
      ok = await this.hasher.verify(found?.passwordHash ?? null, password);
    } catch (error) {
      // No verdict (the database is down): not a failure of the user's.
      await attempt.release().catch(() => undefined);
      throw error;
    }
    if (!found || !ok) {
      // The reservation stays: it is this failure's count.
      this.events.log('login_failed', { userId: found?.user.id, reason: found ? 'wrong_password' : 'unknown_email' });
      throw new UnauthorizedException(INVALID_CREDENTIALS_MESSAGE);
    }
    await attempt.release();
    return found.user;
  }
}
