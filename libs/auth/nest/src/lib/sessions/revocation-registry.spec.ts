import { Logger } from '@nestjs/common';
import type { AuthConfig } from '../config/auth-config';
import { openRevocationFeed, RevocationFeedHandlers } from './revocation-feed';
import { RevocationRegistry } from './revocation-registry';
import type { SessionStore } from './session.store';

// The feed is the registry's line to PostgreSQL's LISTEN; here the test plays the database.
jest.mock('./revocation-feed', () => ({ openRevocationFeed: jest.fn() }));

const ACCESS_TTL_SECONDS = 900;
/** What the registry must remember: the access TTL plus a minute of clock skew. */
const WINDOW_MS = ACCESS_TTL_SECONDS * 1000 + 60_000;
const PRUNE_EVERY_MS = 60_000;
const T0 = new Date('2030-01-01T10:00:00.000Z').getTime();

type Revoked = { id: string; revokedAt: Date }[];

function registry(loads: Array<Revoked | Error> = [[]]) {
  const dataSource = { fake: 'data source' };
  const queries: Date[] = [];
  const store = {
    dataSource,
    revokedSince: jest.fn(async (since: Date) => {
      queries.push(since);
      const next = loads.length > 1 ? loads.shift() : loads[0];
      if (next instanceof Error) throw next;
      return next ?? [];
    }),
  } as unknown as SessionStore;
  let handlers: RevocationFeedHandlers | undefined;
  const close = jest.fn(async () => undefined);
  jest.mocked(openRevocationFeed).mockImplementation(async (ds, h) => {
    expect(ds).toBe(dataSource);
    handlers = h;
    return { close };
  });
  const subject = new RevocationRegistry({ accessTokenTtlSeconds: ACCESS_TTL_SECONDS } as AuthConfig, store);
  return {
    subject,
    queries,
    close,
    feed: () => {
      if (!handlers) throw new Error('the feed was not opened');
      return handlers;
    },
  };
}

/** Lets the registry's promise chains (load, resync) run without moving the clock. */
const settle = () => jest.advanceTimersByTimeAsync(0);

describe('RevocationRegistry', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    warn.mockRestore();
  });

  it('a session added here is refused at once; others are not', () => {
    const { subject } = registry();
    expect(subject.isRevoked('s1')).toBe(false);
    subject.add(['s1', 's2']);
    expect(subject.isRevoked('s1')).toBe(true);
    expect(subject.isRevoked('s2')).toBe(true);
    expect(subject.isRevoked('s3')).toBe(false);
  });

  it('at boot: loads the sessions revoked within the access TTL plus skew, before the app serves', async () => {
    const { subject, queries } = registry([[{ id: 'earlier', revokedAt: new Date(T0 - 5 * 60_000) }]]);
    await subject.onApplicationBootstrap();
    expect(queries).toEqual([new Date(T0 - WINDOW_MS)]);
    expect(subject.isRevoked('earlier')).toBe(true);
    await subject.onApplicationShutdown();
  });

  it('hears revocations from every instance through the feed', async () => {
    const { subject, feed } = registry();
    await subject.onApplicationBootstrap();
    feed().onRevoked('elsewhere');
    expect(subject.isRevoked('elsewhere')).toBe(true);
    await subject.onApplicationShutdown();
  });

  describe('pruning', () => {
    it('keeps a revoked session for the whole access TTL plus skew, then forgets it on the next pass', async () => {
      const { subject } = registry();
      await subject.onApplicationBootstrap();
      subject.add(['s1']);
      // Its last access token may still be valid until then: it must stay refused.
      await jest.advanceTimersByTimeAsync(WINDOW_MS);
      expect(subject.isRevoked('s1')).toBe(true);
      await jest.advanceTimersByTimeAsync(PRUNE_EVERY_MS);
      expect(subject.isRevoked('s1')).toBe(false);
      await subject.onApplicationShutdown();
    });

    it('counts from when the session was revoked (as the database says), not from when this instance heard of it', async () => {
      const { subject } = registry([[
        { id: 'old', revokedAt: new Date(T0 - WINDOW_MS + 30_000) },
        { id: 'recent', revokedAt: new Date(T0 - 60_000) },
      ]]);
      await subject.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(PRUNE_EVERY_MS);
      expect(subject.isRevoked('old')).toBe(false);
      expect(subject.isRevoked('recent')).toBe(true);
      await subject.onApplicationShutdown();
    });

    it('runs only between boot and shutdown', async () => {
      const { subject } = registry();
      expect(jest.getTimerCount()).toBe(0);
      await subject.onApplicationBootstrap();
      expect(jest.getTimerCount()).toBe(1);
      await subject.onApplicationShutdown();
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  describe('resync after the feed reconnects', () => {
    it('catches up on revocations the feed missed while it was away', async () => {
      const { subject, feed, queries } = registry([[], [{ id: 'missed', revokedAt: new Date(T0 + 100_000) }]]);
      await subject.onApplicationBootstrap();
      subject.add(['kept']);
      await jest.advanceTimersByTimeAsync(120_000);
      feed().onResync();
      await settle();
      expect(queries).toEqual([new Date(T0 - WINDOW_MS), new Date(T0 + 120_000 - WINDOW_MS)]);
      expect(subject.isRevoked('missed')).toBe(true);
      // What it already knew stays.
      expect(subject.isRevoked('kept')).toBe(true);
      await subject.onApplicationShutdown();
    });

    it('retries every 2 s while the database is away, with a warning, until it succeeds', async () => {
      const { subject, feed, queries } = registry([[], new Error('connection refused'), new Error('connection refused'), [{ id: 'missed', revokedAt: new Date(T0) }]]);
      await subject.onApplicationBootstrap();
      feed().onResync();
      await settle();
      expect(queries).toHaveLength(2);
      expect(subject.isRevoked('missed')).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('connection refused'));

      await jest.advanceTimersByTimeAsync(1999);
      expect(queries).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(queries).toHaveLength(3);
      await jest.advanceTimersByTimeAsync(2000);
      expect(queries).toHaveLength(4);
      expect(subject.isRevoked('missed')).toBe(true);

      // Once caught up, it stops asking.
      await jest.advanceTimersByTimeAsync(10_000);
      expect(queries).toHaveLength(4);
      await subject.onApplicationShutdown();
    });
  });

  it('a boot whose first load fails stops the boot (the app must not serve without the list)', async () => {
    const { subject } = registry([new Error('connection refused')]);
    await expect(subject.onApplicationBootstrap()).rejects.toThrow('connection refused');
    await subject.onApplicationShutdown();
  });

  it('a boot whose first load fails closes the feed it opened (Nest calls no shutdown after a failed boot)', async () => {
    const { subject, close } = registry([new Error('connection refused')]);
    await expect(subject.onApplicationBootstrap()).rejects.toThrow('connection refused');
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('stops retrying a failing resync at shutdown', async () => {
    const { subject, feed, queries } = registry([[], new Error('connection refused')]);
    await subject.onApplicationBootstrap();
    feed().onResync();
    await settle();
    expect(queries).toHaveLength(2);
    await subject.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(20_000);
    expect(queries).toHaveLength(2);
  });

  it('runs one retry chain however often the feed reconnects', async () => {
    const { subject, feed, queries } = registry([[], new Error('connection refused')]);
    await subject.onApplicationBootstrap();
    feed().onResync();
    feed().onResync();
    feed().onResync();
    await settle();
    const afterReconnects = queries.length;
    await jest.advanceTimersByTimeAsync(2000);
    expect(queries.length - afterReconnects).toBe(1);
    await subject.onApplicationShutdown();
  });

  it('shutdown closes the feed', async () => {
    const { subject, close } = registry();
    await subject.onApplicationBootstrap();
    await subject.onApplicationShutdown();
    expect(close).toHaveBeenCalledTimes(1);
  });
});
