import type { DataSource } from 'typeorm';
import { listenForNotifications, type NotificationListener } from '../database/notification-listener';
import { REVOCATION_CHANNEL } from './session.store';

export interface RevocationFeedHandlers {
  /** A session id revoked by any instance sharing the database. */
  onRevoked(sessionId: string): void;
  /** The feed (re)connected: notifications may have been missed meanwhile. */
  onResync(): void;
}

export type RevocationFeed = NotificationListener;

/** Hears revocations from every instance: LISTEN on the channel the revoking statements NOTIFY. */
export function openRevocationFeed(dataSource: DataSource, handlers: RevocationFeedHandlers): Promise<RevocationFeed> {
  return listenForNotifications(dataSource, REVOCATION_CHANNEL, {
    onNotify: (sessionId) => {
      if (sessionId) handlers.onRevoked(sessionId);
    },
    onResync: () => handlers.onResync(),
  });
}
