import { DOCUMENT, InjectionToken, inject } from '@angular/core';

/** The part of the Web Locks API the refresh needs. */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of BroadcastChannel the tabs use to talk. */
export interface BroadcastChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * A write to localStorage that may fail (full, disabled by privacy settings): what it
 * keeps is a convenience, so a failure is ignored and the caller carries on.
 */
export function writeStorage(operation: () => void): void {
  try {
    operation();
  } catch {
    // nothing kept; the page works without it
  }
}

export type CacheStorageLike = Pick<CacheStorage, 'keys' | 'delete'>;

const browserWindow = () => inject(DOCUMENT).defaultView;

/** Null without Web Locks: refreshes are then coordinated per tab only. */
export const WEB_LOCKS = new InjectionToken<LockManagerLike | null>('WEB_LOCKS', {
  providedIn: 'root',
  factory: () => (browserWindow()?.navigator?.locks as LockManagerLike | undefined) ?? null,
});

export const AUTH_CHANNEL_NAME = 'latchkey-auth';

export const AUTH_CHANNEL = new InjectionToken<BroadcastChannelLike | null>('AUTH_CHANNEL', {
  providedIn: 'root',
  factory: () => {
    const Channel = browserWindow()?.BroadcastChannel;
    return Channel ? new Channel(AUTH_CHANNEL_NAME) : null;
  },
});

export const AUTH_STORAGE = new InjectionToken<StorageLike | null>('AUTH_STORAGE', {
  providedIn: 'root',
  factory: () => {
    try {
      return browserWindow()?.localStorage ?? null;
    } catch {
      return null; // storage disabled (privacy settings): cross-tab falls back to messages
    }
  },
});

export const CACHE_STORAGE = new InjectionToken<CacheStorageLike | null>('CACHE_STORAGE', {
  providedIn: 'root',
  factory: () => browserWindow()?.caches ?? null,
});
