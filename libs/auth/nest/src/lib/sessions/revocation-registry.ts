import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AuthConfig } from '../config/auth-config';
import { openRevocationFeed, RevocationFeed } from './revocation-feed';
import { SessionStore } from './session.store';
import { InjectAuthConfig } from '../auth.constants';

/** Extra time an entry is kept past the access TTL, for clock skew between instances. */
const SKEW_MS = 60_000;
const PRUNE_EVERY_MS = 60_000;
const RESYNC_RETRY_MS = 2000;

/**
 * The sessions revoked within the last access-token lifetime, in memory, so
 * the guard refuses their tokens without a database query per request. Loaded
 * at boot and kept current by every instance's NOTIFY on revocation.
 */
@Injectable()
export class RevocationRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RevocationRegistry');
  /** session id → revocation time (ms). */
  private readonly revoked = new Map<string, number>();
  private feed: RevocationFeed | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** One resync at a time: a load in flight, or a retry waiting. */
  private resyncing = false;
  private resyncTimer: NodeJS.Timeout | null = null;
  /** The feed reconnected during a load: what it missed may postdate that load's read. */
  private resyncAgain = false;

  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly store: SessionStore,
  ) {}

  isRevoked(sessionId: string): boolean {
    return this.revoked.has(sessionId);
  }

  /** Takes effect on this instance at once; others hear it through NOTIFY. */
  add(sessionIds: readonly string[], at = Date.now()): void {
    for (const id of sessionIds) this.revoked.set(id, at);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.feed = await openRevocationFeed(this.store.dataSource, {
      onRevoked: (sessionId) => this.add([sessionId]),
      onResync: () => void this.resync(),
    });
    try {
      await this.load();
    } catch (error) {
      // Nest calls no shutdown hook after a failed boot: close the LISTEN connection here.
      await this.feed.close().catch(() => undefined);
      this.feed = null;
      throw error;
    }
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    await this.feed?.close();
  }

  private async load(): Promise<void> {
    const since = new Date(Date.now() - this.windowMs());
    for (const { id, revokedAt } of await this.store.revokedSince(since)) this.revoked.set(id, revokedAt.getTime());
  }

  /**
   * After the feed reconnects, catch up on what it may have missed: one load
   * at a time, retried every 2 s while the database is away, never after
   * shutdown.
   */
  private async resync(): Promise<void> {
    if (this.closed || this.resyncTimer) return;
    if (this.resyncing) {
      this.resyncAgain = true;
      return;
    }
    this.resyncing = true;
    this.resyncAgain = false;
    try {
      await this.load();
    } catch (error) {
      if (!this.closed) {
        this.logger.warn(`resync failed (${(error as Error).message}); retrying`);
        this.resyncTimer = setTimeout(() => {
          this.resyncTimer = null;
          void this.resync();
        }, RESYNC_RETRY_MS);
        this.resyncTimer.unref();
      }
    } finally {
      this.resyncing = false;
    }
    if (this.resyncAgain) void this.resync();
  }

  /** Tokens of sessions revoked longer ago than the access TTL have expired anyway. */
  private prune(): void {
    const cutoff = Date.now() - this.windowMs();
    for (const [id, at] of this.revoked) if (at < cutoff) this.revoked.delete(id);
  }

  private windowMs(): number {
    return this.config.accessTokenTtlSeconds * 1000 + SKEW_MS;
  }
}
