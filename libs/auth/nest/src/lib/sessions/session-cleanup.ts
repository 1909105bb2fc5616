import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AuthConfig } from '../config/auth-config';
import { AccountTokenStore } from '../tokens/account-token.store';
import { SessionStore, StaleRowDeleter, StaleRowKind } from './session.store';
import { InjectAuthConfig } from '../auth.constants';

const EVERY_MS = 60 * 60 * 1000;
/**
 * The first run comes 1–2 min after start-up, once the instance has settled:
 * a host restarted more often than hourly still cleans, and instances started
 * together do not all ask for the lock at once.
 */
const FIRST_RUN_AFTER_MS = 60_000;
/**
 * Used refresh tokens are kept this long for theft detection; a token
 * replayed later is refused without revoking its session.
 */
const USED_TOKEN_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/** Used or expired mailed links are kept a day, for support questions ("the link did not work"). */
const ACCOUNT_TOKEN_RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * Rows one statement deletes at most. Measured at 1 M sessions / 5 M tokens
 * under refresh load (tools/bench/cleanup-bench.mjs): 40 ms at most, far under
 * the 200 ms any statement may take; twice as many tokens took up to 157 ms
 * on a busier machine. A session takes its refresh tokens with it; used
 * tokens go first, so a dead session has few left.
 */
export const CLEANUP_BATCH_ROWS: Record<StaleRowKind, number> = { usedTokens: 2500, expiredSessions: 1000, revokedSessions: 1000, tombstones: 2500 };
/**
 * After each statement the run waits this many times as long as it took
 * (at least MIN_PAUSE_MS): the cleanup keeps to a ninth of one connection's
 * time, however loaded the database is, and refreshes run in between. At a
 * fifth, refresh p99 rose by a third on 2 busy cores (cleanup-bench.mjs).
 */
const PAUSE_PER_STATEMENT = 8;
const MIN_PAUSE_MS = 20;

/** What one run deleted, as its log line states it. */
export interface CleanupReport {
  sessions: number;
  tokens: number;
  accountTokens: number;
  /** Statements run (each deletes one bounded batch). */
  batches: number;
  longestStatementMs: number;
}

/**
 * Deletes dead sessions, old used refresh tokens and spent mailed links
 * hourly (and once soon after start-up), so the tables stay bounded: in
 * bounded batches with pauses, so refreshes keep their latency, and on one
 * instance at a time (an advisory lock; the others skip the run).
 */
@Injectable()
export class SessionCleanup implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('SessionCleanup');
  private timers: NodeJS.Timeout[] = [];
  /** The run in progress (at most one per instance). */
  private current: Promise<CleanupReport | null> | null = null;
  private isStopping = false;

  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly store: SessionStore,
    private readonly accountTokens: AccountTokenStore,
  ) {}

  onApplicationBootstrap(): void {
    const first = setTimeout(() => void this.run(), FIRST_RUN_AFTER_MS * (1 + Math.random()));
    const hourly = setInterval(() => void this.run(), EVERY_MS);
    this.timers = [first, hourly];
    for (const timer of this.timers) timer.unref();
  }

  /** A run in progress stops after its current statement and lets go of the lock before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.isStopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    await this.current;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
  }

  /** One run; null when it did not run (another instance holds the lock, or the database failed: logged). */
  run(now = new Date()): Promise<CleanupReport | null> {
    this.current ??= this.runLocked(now).finally(() => (this.current = null));
    return this.current;
  }

  private async runLocked(now: Date): Promise<CleanupReport | null> {
    if (this.isStopping) return null;
    const started = performance.now();
    const report: CleanupReport = { sessions: 0, tokens: 0, accountTokens: 0, batches: 0, longestStatementMs: 0 };
    // Revoked rows stay while their access tokens could still be presented.
    const revokedBefore = new Date(now.getTime() - this.config.accessTokenTtlSeconds * 1000 - 60_000);
    const graceMs = this.config.refreshReuseGraceSeconds * 1000;
    const usedBefore = new Date(now.getTime() - Math.max(USED_TOKEN_RETENTION_MS, graceMs));
    let isComplete = false;
    try {
      const locked = await this.store.whileCleanupLocked(async (deleteBatch) => {
        report.tokens += await this.deleteAll(report, deleteBatch, 'usedTokens', usedBefore);
        report.sessions += await this.deleteAll(report, deleteBatch, 'expiredSessions', now);
        report.sessions += await this.deleteAll(report, deleteBatch, 'revokedSessions', revokedBefore);
        await this.deleteAll(report, deleteBatch, 'tombstones', revokedBefore);
        if (this.isStopping) return true;
        // Mailed links are few: one statement.
        report.accountTokens = await this.measured(report, () => this.accountTokens.deleteStale(new Date(now.getTime() - ACCOUNT_TOKEN_RETENTION_MS)));
        isComplete = true;
        return true;
      });
      if (!locked) {
        this.logger.debug('cleanup skipped: another instance is running it');
        return null;
      }
    } catch (error) {
      this.logger.warn(`cleanup skipped: ${(error as Error).message}`);
      return null;
    }
    if (report.sessions || report.tokens || report.accountTokens) {
      const ms = Math.round(performance.now() - started);
      // `stopped`: cut short by shutdown; the next run carries on.
      this.logger.log(JSON.stringify({ event: 'cleanup', ...report, ms, ...(isComplete ? {} : { stopped: true }) }));
    }
    return report;
  }

  /** Batch after batch of one kind until one comes back short (or shutdown); resolves with the rows deleted. */
  private async deleteAll(report: CleanupReport, deleteBatch: StaleRowDeleter, kind: StaleRowKind, before: Date): Promise<number> {
    let total = 0;
    let from: Date | null = null;
    while (!this.isStopping) {
      const at = performance.now();
      const batch = await this.measured(report, () => deleteBatch(kind, before, CLEANUP_BATCH_ROWS[kind], from));
      total += batch.deleted;
      from = batch.first;
      if (batch.deleted < CLEANUP_BATCH_ROWS[kind]) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(MIN_PAUSE_MS, (performance.now() - at) * PAUSE_PER_STATEMENT)));
    }
    return total;
  }

  /** Runs one statement, counted in `report` with its duration. */
  private async measured<T>(report: CleanupReport, statement: () => Promise<T>): Promise<T> {
    const at = performance.now();
    const result = await statement();
    report.batches++;
    report.longestStatementMs = Math.max(report.longestStatementMs, Math.round(performance.now() - at));
    return result;
  }
}
