import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { User } from '@latchkey/auth-contract';
import type { AuthEventLogger } from '../events/auth-event-logger';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import type { PasswordAuthService } from '../passwords/password-auth.service';
import type { SessionService } from '../sessions/session.service';
import type { UserStore } from '../users/user-store';
import { isRecentSignIn, Reauthentication, REAUTHENTICATION_WINDOW_MS } from './reauthentication';

const NOW = new Date('2026-01-01T12:00:00Z');
const caller: AuthenticatedCaller = { userId: 'u1', sessionId: 's1', accessTokenExpiresAt: new Date(NOW.getTime() + 60_000) };
const withPassword: User = { id: 'u1', email: 'ada@example.com', emailVerified: true, name: null, picture: null, providers: ['password'] };
const googleOnly: User = { ...withPassword, providers: ['google'] };

function reauthentication(options: { user: User | null; passwordOk?: boolean; signedInAt?: Date | null }) {
  const confirmPassword = jest.fn(async () => options.passwordOk ?? false);
  const signedInAt = jest.fn(async () => options.signedInAt ?? null);
  const service = new Reauthentication(
    { findById: async () => options.user } as unknown as UserStore,
    { confirmPassword } as unknown as PasswordAuthService,
    { signedInAt } as unknown as SessionService,
    { log: () => undefined } as unknown as AuthEventLogger,
  );
  return { service, confirmPassword, signedInAt };
}

const source = { ip: '10.0.0.1' };
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe('Reauthentication', () => {
  it('an account with a password: the right password passes, checked as a sign-in attempt', async () => {
    const { service, confirmPassword, signedInAt } = reauthentication({ user: withPassword, passwordOk: true });
    await expect(service.confirm(caller, 'secret', source, NOW)).resolves.toBe(withPassword);
    expect(confirmPassword).toHaveBeenCalledWith(withPassword, 'secret', source);
    // A fresh session does not stand in for the password of an account that has one.
    expect(signedInAt).not.toHaveBeenCalled();
  });

  it('an account with a password: a wrong one is 403 (counted by confirmPassword); none is 403 without a count', async () => {
    const wrong = reauthentication({ user: withPassword, passwordOk: false, signedInAt: NOW });
    await expect(wrong.service.confirm(caller, 'guess', source, NOW)).rejects.toThrow(new ForbiddenException('The password is incorrect'));
    const missing = reauthentication({ user: withPassword, signedInAt: NOW });
    await expect(missing.service.confirm(caller, undefined, source, NOW)).rejects.toThrow(new ForbiddenException('Enter your current password to confirm'));
    expect(missing.confirmPassword).not.toHaveBeenCalled();
  });

  it('an account without a password: a sign-in within 10 minutes passes; older, revoked or unknown sessions get “sign in again”', async () => {
    await expect(reauthentication({ user: googleOnly, signedInAt: ago(REAUTHENTICATION_WINDOW_MS) }).service.confirm(caller, undefined, source, NOW)).resolves.toBe(googleOnly);
    for (const signedInAt of [ago(REAUTHENTICATION_WINDOW_MS + 1), null]) {
      const { service, confirmPassword } = reauthentication({ user: googleOnly, signedInAt });
      await expect(service.confirm(caller, 'any password', source, NOW)).rejects.toThrow(/sign in again/i);
      expect(confirmPassword).not.toHaveBeenCalled();
    }
  });

  it('a user who no longer exists is 401', async () => {
    await expect(reauthentication({ user: null }).service.confirm(caller, 'x', source, NOW)).rejects.toBeInstanceOf(UnauthorizedException);
  });
});

describe('isRecentSignIn', () => {
  it.each([
    [0, true],
    [REAUTHENTICATION_WINDOW_MS, true],
    [REAUTHENTICATION_WINDOW_MS + 1, false],
    [24 * 3600_000, false],
  ])('signed in %d ms ago → %s', (age, recent) => {
    expect(isRecentSignIn(ago(age), NOW)).toBe(recent);
  });

  it('no live session is never recent', () => {
    expect(isRecentSignIn(null, NOW)).toBe(false);
  });
});
