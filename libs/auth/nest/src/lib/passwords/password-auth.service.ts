import { ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { User } from '@latchkey/auth-contract';
import { USER_STORE } from '../auth.constants';
import { AuthEventLogger } from '../events/auth-event-logger';
import { LoginAttemptLimiter } from '../throttling/login-attempt-limiter';
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

  async verify(email: string, password: string, ip: string): Promise<User> {
    const normalised = normaliseEmail(email);
    try {
      await this.limiter.assertAllowed(normalised, ip);
    } catch (error) {
      this.events.log('login_throttled');
      throw error;
    }
    const found = await this.users.findPasswordCredentials(normalised);
    const ok = await this.hasher.verify(found?.passwordHash ?? null, password);
    if (!found || !ok) {
      await this.limiter.recordFailure(normalised, ip);
      this.events.log('login_failed', { userId: found?.user.id, reason: found ? 'wrong_password' : 'unknown_email' });
      throw new UnauthorizedException(INVALID_CREDENTIALS_MESSAGE);
    }
    return found.user;
  }
}
