import { randomUUID } from 'node:crypto';
import { UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import type { AuthEvent, AuthEventFields, AuthEventLogger } from '../events/auth-event-logger';
import { RevocationRegistry } from './revocation-registry';
import type { RotationResult, RotationStep, SessionStore } from './session.store';
import type { UserStore } from '../users/user-store';
import { hashRefreshToken } from '../tokens/refresh-token';
import { signingKeyForTypings } from '../tokens/signing-key';
import { TokenService } from './token.service';
import { AUTH_MESSAGES } from '../auth-messages';

const NO_CLIENT = { userAgent: null, ipAddress: null };

const SECRET = 'token-service-spec-secret-long-enough-for-hs256';
const config = {
  accessTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 14 * 86_400,
  refreshReuseGraceSeconds: 30,
  sessionMaxAgeSeconds: 30 * 86_400,
} as AuthConfig;

const ADA: User = { id: randomUUID(), email: 'ada@example.com', emailVerified: true, name: 'Ada', picture: null, providers: ['password'] };
/** A refresh token as the client holds it: 43 base64url characters. */
const PRESENTED = 'A'.repeat(43);

function tokenService(options: { rotation?: RotationResult | null; settings?: Partial<AuthConfig> } = {}) {
  const settings = { ...config, ...options.settings } as AuthConfig;
  const jwt = new JwtService({ secret: signingKeyForTypings(SECRET), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
  const steps: RotationStep[] = [];
  const opened: { userId: string; times: { createdAt: Date; expiresAt: Date; absoluteExpiresAt: Date }; tokenHash: Buffer }[] = [];
  const store = {
    rotate: async (step: RotationStep) => {
      steps.push(step);
      return options.rotation === undefined ? null : options.rotation;
    },
    openSession: async (userId: string, _client: unknown, times: { createdAt: Date; expiresAt: Date; absoluteExpiresAt: Date }, tokenHash: Buffer) => {
      opened.push({ userId, times, tokenHash });
      return randomUUID();
    },
  } as unknown as SessionStore;
  const revocations = new RevocationRegistry(settings, store);
  const events: { event: AuthEvent; fields: AuthEventFields }[] = [];
  const logger = { log: (event: AuthEvent, fields: AuthEventFields = {}) => void events.push({ event, fields }) } as unknown as AuthEventLogger;
  const loaded: string[] = [];
  const users = {
    findById: async (id: string) => {
      loaded.push(id);
      return id === ADA.id ? ADA : null;
    },
  } as unknown as UserStore;
  const service = new TokenService(settings, jwt, store, revocations, logger, users);
  return { service, jwt, steps, opened, revocations, events, loaded };
}

function rotation(overrides: Partial<RotationResult> = {}): RotationResult {
  return { outcome: 'rotated', userId: ADA.id, sessionId: randomUUID(), reused: false, expiresAt: new Date(Date.now() + 14 * 86_400_000), ...overrides };
}

async function refusal(promise: Promise<unknown>): Promise<UnauthorizedException> {
  const error = await promise.then(
    () => {
      throw new Error('expected the refresh to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnauthorizedException);
  return error as UnauthorizedException;
}

describe('TokenService', () => {
  describe('rotate: how the rotation statement’s answer maps to what the client gets', () => {
    it('rotated: a new pair in the same session, the new refresh token is the one the store recorded', async () => {
      const result = rotation();
      const t = tokenService({ rotation: result });
      const issued = await t.service.rotate(PRESENTED, { userAgent: 'Firefox', ipAddress: '203.0.113.7' });

      expect(issued.user).toBe(ADA);
      expect(issued.sessionId).toBe(result.sessionId);
      expect(issued.refreshExpiresAt).toEqual(result.expiresAt);
      // A refresh never earns a new device cookie.
      expect(issued.isSignIn).toBe(false);
      expect(issued.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(issued.refreshToken).not.toBe(PRESENTED);

      const [step] = t.steps;
      expect(step.presentedHash.equals(hashRefreshToken(PRESENTED))).toBe(true);
      // The cookie carries the token whose hash the store saved, so the next refresh finds it.
      expect(step.nextHash.equals(hashRefreshToken(issued.refreshToken))).toBe(true);
      expect(step).toMatchObject({ graceSeconds: 30, idleSeconds: 14 * 86_400, client: { userAgent: 'Firefox', ipAddress: '203.0.113.7' } });
      expect(step.now.getTime()).toBe(issued.issuedAt.getTime());

      expect(t.service.verifyAccessToken(issued.accessToken)).toEqual({
        userId: ADA.id,
        sessionId: result.sessionId,
        accessTokenExpiresAt: issued.accessTokenExpiresAt,
      });
      expect(t.events).toEqual([{ event: 'refresh', fields: { userId: ADA.id, sessionId: result.sessionId } }]);
    });

    it('a replay within the grace (rotated, reused) still succeeds, and is logged as such', async () => {
      const result = rotation({ reused: true });
      const t = tokenService({ rotation: result });
      const issued = await t.service.rotate(PRESENTED, NO_CLIENT);
      expect(issued.sessionId).toBe(result.sessionId);
      expect(t.service.verifyAccessToken(issued.accessToken)?.sessionId).toBe(result.sessionId);
      expect(t.events).toEqual([{ event: 'refresh_reuse_within_grace', fields: { userId: ADA.id, sessionId: result.sessionId } }]);
    });

    it('theft (reuse after the grace): refused, and the session’s access tokens stop working at once on this instance', async () => {
      const result = rotation({ outcome: 'theft', reused: true, expiresAt: null });
      const t = tokenService({ rotation: result });
      const stolenAccess = t.service.signAccessToken(ADA.id, result.sessionId).token;
      const otherSession = t.service.signAccessToken(ADA.id, randomUUID()).token;
      expect(t.service.verifyAccessToken(stolenAccess)).not.toBeNull();

      const error = await refusal(t.service.rotate(PRESENTED, NO_CLIENT));
      expect(error.message).toBe(AUTH_MESSAGES.sessionEnded);
      expect(t.revocations.isRevoked(result.sessionId)).toBe(true);
      expect(t.service.verifyAccessToken(stolenAccess)).toBeNull();
      expect(t.service.verifyAccessToken(otherSession)).not.toBeNull();
      expect(t.events).toEqual([{ event: 'refresh_theft_detected', fields: { userId: ADA.id, sessionId: result.sessionId } }]);
      expect(t.loaded).toEqual([]);
    });

    it.each([
      ['session_revoked', null],
      ['session_expired', null],
      // The outcome decides, not whether the row happens to carry a date.
      ['session_revoked', new Date(Date.now() + 60_000)],
      ['session_expired', new Date(Date.now() + 60_000)],
    ] as const)('%s (expiresAt %p): refused, logged with that reason, nothing revoked', async (outcome, expiresAt) => {
      const result = rotation({ outcome, expiresAt });
      const t = tokenService({ rotation: result });
      const error = await refusal(t.service.rotate(PRESENTED, NO_CLIENT));
      expect(error.message).toBe(AUTH_MESSAGES.sessionEnded);
      expect(t.revocations.isRevoked(result.sessionId)).toBe(false);
      expect(t.events).toEqual([{ event: 'refresh_failed', fields: { reason: outcome } }]);
      expect(t.loaded).toEqual([]);
    });

    it('an unknown token (no row): refused and logged as unknown_token', async () => {
      const t = tokenService({ rotation: null });
      const error = await refusal(t.service.rotate(PRESENTED, NO_CLIENT));
      expect(error.message).toBe(AUTH_MESSAGES.sessionEnded);
      expect(t.events).toEqual([{ event: 'refresh_failed', fields: { reason: 'unknown_token' } }]);
      expect(t.loaded).toEqual([]);
    });

    it.each([undefined, null, 42, '', 'A'.repeat(42), 'A'.repeat(44), `${'A'.repeat(42)}=`, `${'A'.repeat(42)}+`, { token: PRESENTED }])(
      'a malformed token (%p) is refused without asking the database',
      async (presented) => {
        const t = tokenService({ rotation: rotation() });
        const error = await refusal(t.service.rotate(presented, NO_CLIENT));
        expect(error.message).toBe(AUTH_MESSAGES.sessionEnded);
        expect(t.steps).toEqual([]);
      },
    );

    it('rotated without a new idle limit is refused rather than issuing a cookie without an expiry', async () => {
      const t = tokenService({ rotation: rotation({ expiresAt: null }) });
      await refusal(t.service.rotate(PRESENTED, NO_CLIENT));
      expect(t.events).toEqual([{ event: 'refresh_failed', fields: { reason: 'no_expiry' } }]);
    });

    it('rotated for a user who no longer exists: refused, with the same message', async () => {
      const t = tokenService({ rotation: rotation({ userId: randomUUID() }) });
      const error = await refusal(t.service.rotate(PRESENTED, NO_CLIENT));
      expect(error.message).toBe(AUTH_MESSAGES.sessionEnded);
    });
  });

  describe('access tokens', () => {
    it('exp - iat is exactly ACCESS_TOKEN_TTL_SECONDS, HS256, with sub and sid', () => {
      const t = tokenService();
      const sessionId = randomUUID();
      const now = new Date('2030-01-01T10:00:00.750Z');
      const { token, expiresAt } = t.service.signAccessToken(ADA.id, sessionId, now);
      const [header] = token.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toMatchObject({ alg: 'HS256' });
      const claims = t.jwt.decode<{ sub: string; sid: string; iat: number; exp: number }>(token);
      expect(claims).toMatchObject({ sub: ADA.id, sid: sessionId, iat: Math.floor(now.getTime() / 1000) });
      expect(claims.exp - claims.iat).toBe(900);
      expect(expiresAt.getTime()).toBe(claims.exp * 1000);
    });

    it('refuses other algorithms, alg none, another key, expired tokens and foreign claims', () => {
      const t = tokenService();
      const sessionId = randomUUID();
      const iat = Math.floor(Date.now() / 1000);
      const claims = { sub: ADA.id, sid: sessionId, iat, exp: iat + 900 };
      const key = signingKeyForTypings(SECRET);
      const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;

      expect(t.service.verifyAccessToken(t.jwt.sign(claims, { secret: key, algorithm: 'HS256' }))).not.toBeNull();
      expect(t.service.verifyAccessToken(t.jwt.sign(claims, { secret: key, algorithm: 'HS512' }))).toBeNull();
      expect(t.service.verifyAccessToken(unsigned)).toBeNull();
      expect(t.service.verifyAccessToken(t.jwt.sign(claims, { secret: `${SECRET}-other`, algorithm: 'HS256' }))).toBeNull();
      expect(t.service.verifyAccessToken(t.jwt.sign({ ...claims, iat: iat - 901, exp: iat - 1 }, { secret: key, algorithm: 'HS256' }))).toBeNull();
      expect(t.service.verifyAccessToken(t.jwt.sign({ ...claims, sub: 'admin' }, { secret: key, algorithm: 'HS256' }))).toBeNull();
      expect(t.service.verifyAccessToken(undefined)).toBeNull();
      expect(t.service.verifyAccessToken('not.a.jwt')).toBeNull();
    });

    it('a token it verified before still expires on the second exactly, and is still refused once its session is revoked', () => {
      jest.useFakeTimers({ now: new Date('2026-12-01T12:00:00.000Z') });
      try {
        const t = tokenService();
        const sessionId = randomUUID();
        const { token, expiresAt } = t.service.signAccessToken(ADA.id, sessionId);
        expect(t.service.verifyAccessToken(token)).toMatchObject({ sessionId });
        jest.setSystemTime(expiresAt.getTime() - 1);
        expect(t.service.verifyAccessToken(token)).toMatchObject({ sessionId });
        jest.setSystemTime(expiresAt.getTime());
        expect(t.service.verifyAccessToken(token)).toBeNull();

        const otherSession = randomUUID();
        const other = t.service.signAccessToken(ADA.id, otherSession).token;
        expect(t.service.verifyAccessToken(other)).not.toBeNull();
        t.revocations.add([otherSession]);
        expect(t.service.verifyAccessToken(other)).toBeNull();
      } finally {
        jest.useRealTimers();
      }
    });

    it('a token that failed verification is refused again, not remembered as good', () => {
      const t = tokenService();
      const iat = Math.floor(Date.now() / 1000);
      const forged = t.jwt.sign({ sub: ADA.id, sid: randomUUID(), iat, exp: iat + 900 }, { secret: signingKeyForTypings(`${SECRET}-other`), algorithm: 'HS256' });
      expect(t.service.verifyAccessToken(forged)).toBeNull();
      expect(t.service.verifyAccessToken(forged)).toBeNull();
    });
  });

  describe('openSession', () => {
    it('a sign-in: the refresh cookie lasts the idle limit, and the store keeps only the token’s hash', async () => {
      const t = tokenService();
      const issued = await t.service.openSession(ADA, { userAgent: 'Firefox', ipAddress: '203.0.113.7' });
      const [opened] = t.opened;
      expect(issued.isSignIn).toBe(true);
      expect(opened.userId).toBe(ADA.id);
      expect(opened.tokenHash.equals(hashRefreshToken(issued.refreshToken))).toBe(true);
      expect(issued.refreshExpiresAt.getTime() - issued.issuedAt.getTime()).toBe(14 * 86_400_000);
      expect(opened.times.expiresAt).toEqual(issued.refreshExpiresAt);
      expect(opened.times.absoluteExpiresAt.getTime() - issued.issuedAt.getTime()).toBe(30 * 86_400_000);
      expect(t.service.verifyAccessToken(issued.accessToken)).toMatchObject({ userId: ADA.id, sessionId: issued.sessionId });
    });

    it('the idle limit never reaches past SESSION_MAX_AGE_SECONDS', async () => {
      const t = tokenService({ settings: { sessionMaxAgeSeconds: 3600 } });
      const issued = await t.service.openSession(ADA, NO_CLIENT);
      expect(issued.refreshExpiresAt.getTime() - issued.issuedAt.getTime()).toBe(3600_000);
      expect(t.opened[0].times.expiresAt).toEqual(t.opened[0].times.absoluteExpiresAt);
    });
  });
});
