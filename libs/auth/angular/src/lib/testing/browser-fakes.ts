import { XSRF_COOKIE_NAME } from '@latchkey/auth-contract';
import { BroadcastChannelLike, CacheStorageLike, LockManagerLike, StorageLike } from '../browser-apis';

/**
 * Sets (null: removes) the XSRF cookie in jsdom's jar, as the API's `Set-Cookie` would:
 * tests call it before flushing the response that hands the cookie out.
 */
export function setXsrfCookie(value: string | null): void {
  document.cookie =
    value === null
      ? `${XSRF_COOKIE_NAME}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
      : `${XSRF_COOKIE_NAME}=${value}; path=/`;
}

/** An exclusive Web Lock; `beforeNextGrant` lets a test act as another tab holding it first. */
export class FakeLocks implements LockManagerLike {
  readonly requested: string[] = [];
  beforeNextGrant: (() => void) | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    this.requested.push(name);
    const granted = this.tail.then(() => {
      const otherTab = this.beforeNextGrant;
      this.beforeNextGrant = null;
      otherTab?.();
      return callback();
    });
    this.tail = granted.catch(() => undefined);
    return granted;
  }
}

/** Channels of one name, as tabs of one browser: a message reaches every other instance. */
export class FakeChannelHub {
  private readonly channels = new Set<FakeBroadcastChannel>();

  open(): FakeBroadcastChannel {
    const channel = new FakeBroadcastChannel(this);
    this.channels.add(channel);
    return channel;
  }

  deliver(from: FakeBroadcastChannel, data: unknown): void {
    for (const channel of this.channels) {
      // Real channels clone and deliver in a later task.
      if (channel !== from) void Promise.resolve().then(() => channel.receive(JSON.parse(JSON.stringify(data))));
    }
  }

  close(channel: FakeBroadcastChannel): void {
    this.channels.delete(channel);
  }
}

export class FakeBroadcastChannel implements BroadcastChannelLike {
  readonly sent: unknown[] = [];
  private readonly listeners = new Set<(event: MessageEvent) => void>();

  constructor(private readonly hub: FakeChannelHub) {}

  postMessage(message: unknown): void {
    this.sent.push(message);
    this.hub.deliver(this, message);
  }

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.listeners.delete(listener);
  }

  close(): void {
    this.hub.close(this);
  }

  receive(data: unknown): void {
    for (const listener of this.listeners) listener({ data } as MessageEvent);
  }
}

export class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

export class FakeCacheStorage implements CacheStorageLike {
  constructor(readonly names: string[]) {}
  async keys(): Promise<string[]> {
    return [...this.names];
  }
  async delete(name: string): Promise<boolean> {
    const index = this.names.indexOf(name);
    if (index >= 0) this.names.splice(index, 1);
    return index >= 0;
  }
}
