import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { EmbeddedDataSource } from '../database/data-source';
import { REVOCATION_CHANNEL } from './session.store';

export interface RevocationFeedHandlers {
  /** A session id revoked by any instance sharing the database. */
  onRevoked(sessionId: string): void;
  /** The feed (re)connected: notifications may have been missed meanwhile. */
  onResync(): void;
}

export interface RevocationFeed {
  close(): Promise<void>;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

/**
 * Hears revocations through PostgreSQL LISTEN/NOTIFY: on a dedicated
 * connection for a real server (reconnecting with backoff), or on the
 * embedded PGlite instance itself.
 */
export async function openRevocationFeed(dataSource: DataSource, handlers: RevocationFeedHandlers): Promise<RevocationFeed> {
  if (dataSource instanceof EmbeddedDataSource) {
    const unlisten = await dataSource.pglite.listen(REVOCATION_CHANNEL, (payload) => handlers.onRevoked(payload));
    return { close: () => (dataSource.pglite.closed ? Promise.resolve() : unlisten()) };
  }
  const url = (dataSource.options as { url?: string }).url;
  if (!url) throw new Error('the revocation feed needs the DataSource url');
  const feed = new PostgresRevocationFeed(url, handlers);
  await feed.start();
  return feed;
}

class PostgresRevocationFeed implements RevocationFeed {
  private readonly logger = new Logger('RevocationFeed');
  private client: Client | null = null;
  private closed = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly handlers: RevocationFeedHandlers,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 3000, keepAlive: true });
    client.on('notification', (msg) => {
      if (msg.channel === REVOCATION_CHANNEL && msg.payload) this.handlers.onRevoked(msg.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      // close() ran while we were connecting: do not keep this client.
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = RECONNECT_MIN_MS;
  }

  private lost(client: Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.logger.warn('lost the LISTEN connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.connect();
        this.logger.log('LISTEN connection restored');
        this.handlers.onResync();
      } catch {
        this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
        this.scheduleReconnect();
      }
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
