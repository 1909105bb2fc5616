import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { User } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import { AuthEventLogger } from '../events/auth-event-logger';
import { AccessTokenClaims, AuthenticatedCaller, callerFromClaims } from '../tokens/authenticated-caller';
import { RevocationRegistry } from './revocation-registry';
import type { SessionClient } from './session-client';
import { SessionStore } from './session.store';
import { IssuedSession } from '../tokens/issued-session';
import { VerifiedAccessTokens } from '../tokens/verified-access-tokens';
import { generateRefreshToken, hashRefreshToken, isWellFormedRefreshToken } from '../tokens/refresh-token';
import { AUTH_MESSAGES } from '../auth-messages';
import type { UserStore } from '../users/user-store';
import { InjectAuthConfig, InjectUserStore } from '../auth.constants';

/**
 * Access JWTs (HS256, `sub` + `sid`) and opaque refresh tokens: opening a
 * session, and rotating its refresh token under the grace and theft rules.
 */
/** HS256 only: `alg: none` and every other algorithm are refused. */
const VERIFY_OPTIONS = { algorithms: ['HS256' as const] };

@Injectable()
export class TokenService {
  private readonly verified = new VerifiedAccessTokens();

  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly jwt: JwtService,
    private readonly store: SessionStore,
    private readonly revocations: RevocationRegistry,
    private readonly events: AuthEventLogger,
    @InjectUserStore() private readonly users: UserStore,
  ) {}

  /** Signs an access token; `exp - iat` is exactly ACCESS_TOKEN_TTL_SECONDS. */
  signAccessToken(userId: string, sessionId: string, now = new Date()): { token: string; expiresAt: Date } {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.config.accessTokenTtlSeconds;
    const claims: AccessTokenClaims = { sub: userId, sid: sessionId, iat, exp };
    return { token: this.jwt.sign(claims), expiresAt: new Date(exp * 1000) };
  }

  /** The caller of a valid, unrevoked access token; null for anything else. */
  verifyAccessToken(token: string | undefined): AuthenticatedCaller | null {
    if (!token) return null;
    let caller = this.verified.get(token, Date.now()) ?? null;
    if (!caller) {
      try {
        caller = callerFromClaims(this.jwt.verify<AccessTokenClaims>(token, VERIFY_OPTIONS));
      } catch {
        return null;
      }
      if (!caller) return null;
      this.verified.set(token, caller);
    }
    return this.revocations.isRevoked(caller.sessionId) ? null : caller;
  }

  /** A new session for a user who just proved who they are. */
  async openSession(user: User, client: SessionClient): Promise<IssuedSession> {
    const now = new Date();
    const absoluteExpiresAt = this.after(now, this.config.sessionMaxAgeSeconds);
    const expiresAt = this.idleExpiry(now, absoluteExpiresAt);
    const refreshToken = generateRefreshToken();
    const sessionId = await this.store.openSession(user.id, client, { createdAt: now, expiresAt, absoluteExpiresAt }, hashRefreshToken(refreshToken));
    const access = this.signAccessToken(user.id, sessionId, now);
    return new IssuedSession(user, sessionId, access.token, access.expiresAt, refreshToken, expiresAt, now, true);
  }

  /**
   * Exchanges a refresh token for a new pair in the same session. A token
   * already used within REFRESH_REUSE_GRACE_SECONDS still works (lost
   * response, two tabs); after that it is theft and the session is revoked.
   */
  async rotate(presented: unknown, client: SessionClient): Promise<IssuedSession> {
    if (!isWellFormedRefreshToken(presented)) throw new UnauthorizedException(AUTH_MESSAGES.sessionEnded);
    const refreshToken = generateRefreshToken();
    const now = new Date();
    const result = await this.store.rotate({
      presentedHash: hashRefreshToken(presented),
      nextHash: hashRefreshToken(refreshToken),
      now,
      graceSeconds: this.config.refreshReuseGraceSeconds,
      idleSeconds: this.config.refreshTokenTtlSeconds,
      client,
    });

    if (!result) {
      this.events.log('refresh_failed', { reason: 'unknown_token' });
      throw new UnauthorizedException(AUTH_MESSAGES.sessionEnded);
    }
    if (result.outcome === 'theft') {
      this.revocations.add([result.sessionId]);
      this.events.log('refresh_theft_detected', { userId: result.userId, sessionId: result.sessionId });
      throw new UnauthorizedException(AUTH_MESSAGES.sessionEnded);
    }
    if (result.outcome !== 'rotated' || !result.expiresAt) {
      // Every refresh failure looks the same to the client; the log tells them apart.
      this.events.log('refresh_failed', { reason: result.outcome === 'rotated' ? 'no_expiry' : result.outcome });
      throw new UnauthorizedException(AUTH_MESSAGES.sessionEnded);
    }
    const user = await this.users.findById(result.userId);
    if (!user) throw new UnauthorizedException(AUTH_MESSAGES.sessionEnded);
    this.events.log(result.reused ? 'refresh_reuse_within_grace' : 'refresh', { userId: result.userId, sessionId: result.sessionId });
    const access = this.signAccessToken(result.userId, result.sessionId, now);
    return new IssuedSession(user, result.sessionId, access.token, access.expiresAt, refreshToken, result.expiresAt, now, false);
  }

  /** Idle limit from now, never past the session's absolute limit. */
  private idleExpiry(now: Date, absoluteExpiresAt: Date): Date {
    const idle = this.after(now, this.config.refreshTokenTtlSeconds);
    return idle < absoluteExpiresAt ? idle : absoluteExpiresAt;
  }

  private after(now: Date, seconds: number): Date {
    return new Date(now.getTime() + seconds * 1000);
  }
}
