import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from './data-source';
import { embeddedConnectionOf } from './embedded-connection';

export interface NotificationHandlers {
  /** A NOTIFY on the channel, from any connection to the database (delivered at its commit). */
  onNotify(payload: string): void;
  /** The listener (re)connected: notifications may have been missed meanwhile. */
  onResync(): void;
}

export interface NotificationListener {
  close(): Promise<void>;
}

const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * LISTEN on one channel: on a dedicated connection for a real server
 * (reconnecting with backoff while the database is away), or on the embedded
 * PGlite instance itself. Rejects only when the first connection fails.
 */
export async function listenForNotifications(dataSource: DataSource, channel: string, handlers: NotificationHandlers): Promise<NotificationListener> {
  if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const embedded = embeddedConnectionOf(dataSource);
  if (embedded) {
    const unlisten = await embedded.listen(channel, (payload) => handlers.onNotify(payload));
    return { close: () => (embedded.closed ? Promise.resolve() : unlisten()) };
  }
  const listener = new PostgresListener(listenerConnection(dataSource.options as PostgresDataSourceOptions), channel, handlers);
  await listener.connect();
  return listener;
}

/**
 * The listener's own connection, from the options TypeORM was given: a URL
 * or host/port fields (replication setups listen on the primary).
 */
export function listenerConnection(options: PostgresDataSourceOptions): ClientConfig {
  const primary = options.replication?.master ?? options;
  const { url, host, port, username, password, database, ssl } = primary as PostgresDataSourceOptions;
  const fields: ClientConfig = { host, port, user: username, password: password as ClientConfig['password'], database: database ?? options.database, ssl: (ssl ?? options.ssl) as ClientConfig['ssl'] };
  const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as ClientConfig;
  return url ? { connectionString: url, ...defined } : defined;
}

class PostgresListener implements NotificationListener {
  private readonly logger = new Logger('NotificationListener');
  private client: Client | null = null;
  private closed = false;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connection: ClientConfig,
    private readonly channel: string,
    private readonly handlers: NotificationHandlers,
  ) {}

  async connect(): Promise<void> {
    const client = new Client({ ...this.connection, connectionTimeoutMillis: 3000, keepAlive: true });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel) this.handlers.onNotify(msg.payload ?? '');
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
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
    this.logger.warn(`lost the LISTEN ${this.channel} connection; reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(async () => {
      this.retryTimer = null;
      try {
        await this.connect();
        this.logger.log(`LISTEN ${this.channel} connection restored`);
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
