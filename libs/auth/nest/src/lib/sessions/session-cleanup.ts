import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AuthConfig } from '../config/auth-config';
import { AccountTokenStore } from '../tokens/account-token.store';
import { SessionStore } from './session.store';
import { InjectAuthConfig } from '../auth.constants';

const EVERY_MS = 60 * 60 * 1000;
/**
 * Used refresh tokens are kept this long for theft detection; a token
 * replayed later is refused without revoking its session.
 */
const USED_TOKEN_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/** Used or expired mailed links are kept a day, for support questions ("the link did not work"). */
const ACCOUNT_TOKEN_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Deletes dead sessions, old used refresh tokens and spent mailed links hourly, so the tables stay bounded. */
@Injectable()
export class SessionCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionCleanup');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly store: SessionStore,
    private readonly accountTokens: AccountTokenStore,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<{ sessions: number; tokens: number; accountTokens: number }> {
    // Revoked rows stay while their access tokens could still be presented.
    const revokedBefore = new Date(now.getTime() - this.config.accessTokenTtlSeconds * 1000 - 60_000);
    const graceMs = this.config.refreshReuseGraceSeconds * 1000;
    const usedBefore = new Date(now.getTime() - Math.max(USED_TOKEN_RETENTION_MS, graceMs));
    try {
      const deleted = {
        ...(await this.store.deleteStale(now, revokedBefore, usedBefore)),
        accountTokens: await this.accountTokens.deleteStale(new Date(now.getTime() - ACCOUNT_TOKEN_RETENTION_MS)),
      };
      if (deleted.sessions || deleted.tokens || deleted.accountTokens) this.logger.log(JSON.stringify({ event: 'cleanup', ...deleted }));
      return deleted;
    } catch (error) {
      this.logger.warn(`cleanup skipped: ${(error as Error).message}`);
      return { sessions: 0, tokens: 0, accountTokens: 0 };
    }
  }
}
