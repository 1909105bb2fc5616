import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { InjectAuthConfig, InjectMailTransport, MAIL_RETRY_POLICY } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { listenForNotifications, NotificationListener } from '../database/notification-listener';
import { MAIL_OUTBOX_CHANNEL } from './mail-outbox';
import { ClaimedMail, MailOutboxStore } from './mail-outbox.store';
import { isPermanentMailError } from './mail-transport';
import type { MailTransport } from './mail-transport';

/** When and how often the outbox tries again (see README, "Mail"). */
export interface MailRetryPolicy {
  /** Wait after the first failed attempt; doubled after each further one. */
  readonly firstRetrySeconds: number;
  /** The longest wait between two attempts. */
  readonly maxRetrySeconds: number;
  /** A mail still undelivered this long after it was written is given up (marked failed). */
  readonly horizonSeconds: number;
  /** How long a claimed row stays with its sender: longer than any one attempt can take (see SMTP_TIMEOUTS). */
  readonly claimSeconds: number;
  /** The safety poll, for a wake-up notification that got lost. */
  readonly pollSeconds: number;
}

export const DEFAULT_MAIL_RETRY_POLICY: MailRetryPolicy = {
  firstRetrySeconds: 2,
  maxRetrySeconds: 3600,
  horizonSeconds: 24 * 3600,
  claimSeconds: 120,
  pollSeconds: 10,
};


/** Sent rows are kept a week (did that mail go out?), failed ones a month. */
const SENT_RETENTION_MS = 7 * 86_400_000;
const FAILED_RETENTION_MS = 30 * 86_400_000;
const CLEANUP_EVERY_MS = 60 * 60 * 1000;
/** Within the 10 s the contract gives a stop, with room for closing the database after. */
const SHUTDOWN_WAIT_MS = 5000;
const DATABASE_RETRY_MIN_MS = 1000;
const DATABASE_RETRY_MAX_MS = 30_000;
/** An empty claim while rows are due means another sender holds them: look again shortly. */
const BUSY_RECHECK_MS = 250;
const LISTEN_RETRY_MS = 30_000;

/**
 * Delivers the outbox, in every API instance. Woken by the NOTIFY of each
 * enqueue (at its commit), by a timer for the next retry that falls due, and
 * by a safety poll; each round claims one due row at a time (`FOR UPDATE SKIP
 * LOCKED`, so instances never share a row), sends it through the
 * {@link MailTransport}, and marks it sent — or schedules the next attempt
 * with exponential backoff (2 s, 4 s, 8 s … up to hourly) until the mail is
 * 24 h old, then marks it failed and logs it. A database outage only pauses
 * it. Links and tokens are never logged here.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('MailSender');
  private readonly store: MailOutboxStore;
  private readonly policy: MailRetryPolicy;
  private listener: NotificationListener | null = null;
  private listenTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private cleanupTimer: NodeJS.Timeout | null = null;
  /** The round running now (at most one per instance). */
  private round: Promise<number> | null = null;
  private wakeAgain = false;
  private isStopping = false;
  private isStarted = false;
  private databaseRetryMs = DATABASE_RETRY_MIN_MS;
  private isDatabaseDown = false;
  /** Delivered, but the database could not be told yet: told before the next claim. */
  private readonly unconfirmed: ClaimedMail[] = [];

  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    @InjectDataSource() dataSource: DataSource,
    @InjectMailTransport() private readonly transport: MailTransport,
    @Optional() @Inject(MAIL_RETRY_POLICY) policy?: MailRetryPolicy,
  ) {
    this.store = new MailOutboxStore(dataSource);
    this.policy = policy ?? DEFAULT_MAIL_RETRY_POLICY;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Starts listening and delivering (done at bootstrap). */
  async start(): Promise<void> {
    if (this.isStarted) return;
    this.isStarted = true;
    await this.listen();
    this.cleanupTimer = setInterval(() => void this.cleanup(), CLEANUP_EVERY_MS);
    this.cleanupTimer.unref();
  }

  /** Lets a send in flight finish (within the shutdown budget), then stops taking rows. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
    await this.transport.close?.();
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    for (const timer of [this.listenTimer, this.wakeTimer, this.cleanupTimer]) if (timer) clearTimeout(timer);
    const round = this.round;
    if (round) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)));
      await Promise.race([round.catch(() => undefined), timeout]);
      clearTimeout(timer);
    }
    const listener = this.listener;
    this.listener = null;
    await listener?.close();
  }

  /** Runs a round soon: now when idle, right after the current one otherwise. */
  wake(): void {
    if (this.isStopping) return;
    if (this.round) {
      this.wakeAgain = true;
      return;
    }
    void this.deliverDue();
  }

  /**
   * Delivers every row due now, one at a time; resolves with how many were
   * delivered. Never rejects: a database error ends the round (logged once
   * per outage) and the next round is scheduled with backoff.
   */
  deliverDue(): Promise<number> {
    if (this.round) return this.round;
    this.wakeAgain = false;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    const round = this.runRound().finally(() => {
      this.round = null;
      if (this.isStarted) void this.afterRound();
    });
    this.round = round;
    return round;
  }

  /** Deletes old delivered and failed rows (hourly). */
  async cleanup(now = new Date()): Promise<number> {
    try {
      const deleted = await this.store.deleteFinished(new Date(now.getTime() - SENT_RETENTION_MS), new Date(now.getTime() - FAILED_RETENTION_MS));
      if (deleted) this.logger.log(JSON.stringify({ event: 'mail_cleanup', deleted }));
      return deleted;
    } catch (error) {
      this.logger.warn(`mail cleanup skipped: ${messageOf(error)}`);
      return 0;
    }
  }

  /** Seconds to wait after the `attempt`-th attempt failed: doubling from the first retry, capped, with up to 20 % jitter. */
  retryDelaySeconds(attempt: number): number {
    const base = Math.min(this.policy.firstRetrySeconds * 2 ** Math.max(0, attempt - 1), this.policy.maxRetrySeconds);
    // Spread out the instances that all saw one outage end.
    return Math.min(base * (1 + Math.random() * 0.2), this.policy.maxRetrySeconds);
  }

  private async runRound(): Promise<number> {
    let delivered = 0;
    try {
      await this.confirmDelivered();
      while (!this.isStopping) {
        const mail = await this.store.claimNext(this.policy.claimSeconds);
        if (!mail) break;
        if (await this.deliver(mail)) delivered++;
      }
      this.databaseBack();
    } catch (error) {
      this.databaseLost(error);
    }
    return delivered;
  }

  /** One claimed row: true when the transport took it. */
  private async deliver(mail: ClaimedMail): Promise<boolean> {
    try {
      await this.transport.send({ ...mail, from: this.config.mail.from });
    } catch (error) {
      await this.attemptFailed(mail, error);
      return false;
    }
    try {
      if (!(await this.store.markSent(mail))) this.logger.warn(JSON.stringify({ event: 'mail_claim_lost', id: mail.id, kind: mail.kind }));
    } catch (error) {
      // Sent, but not recorded: keep it and record it before claiming anything, or the claim's end would send it again.
      this.unconfirmed.push(mail);
      throw error;
    }
    const line = JSON.stringify({ event: 'mail_sent', id: mail.id, kind: mail.kind, attempt: mail.attempt });
    if (mail.attempt > 1) this.logger.log(line);
    else this.logger.debug(line);
    return true;
  }

  private async attemptFailed(mail: ClaimedMail, error: unknown): Promise<void> {
    const permanent = isPermanentMailError(error);
    const retryInSeconds = this.retryDelaySeconds(mail.attempt);
    const reason = messageOf(error).slice(0, 500);
    const status = await this.store.markAttemptFailed(mail, { retryInSeconds, permanent, horizonSeconds: this.policy.horizonSeconds, error: reason });
    if (status === 'failed') {
      this.logger.error(JSON.stringify({ event: 'mail_failed', id: mail.id, kind: mail.kind, attempts: mail.attempt, permanent, error: reason }));
    } else if (status === 'pending') {
      this.logger.warn(JSON.stringify({ event: 'mail_retry', id: mail.id, kind: mail.kind, attempt: mail.attempt, retryInSeconds: Math.round(retryInSeconds), error: reason }));
    }
  }

  private async confirmDelivered(): Promise<void> {
    while (this.unconfirmed.length) {
      await this.store.markSent(this.unconfirmed[0]);
      this.unconfirmed.shift();
    }
  }

  /** Next round: a wake that came meanwhile, a database retry, the next due row, or the safety poll. */
  private async afterRound(): Promise<void> {
    if (this.isStopping) return;
    if (this.wakeAgain) {
      this.wakeAgain = false;
      return this.wake();
    }
    let delayMs = this.policy.pollSeconds * 1000;
    if (this.isDatabaseDown) {
      delayMs = this.databaseRetryMs;
    } else {
      try {
        const dueIn = await this.store.secondsUntilNextDue();
        if (dueIn !== null) delayMs = Math.min(delayMs, Math.max(BUSY_RECHECK_MS, Math.ceil(dueIn * 1000)));
      } catch (error) {
        this.databaseLost(error);
        delayMs = this.databaseRetryMs;
      }
    }
    if (this.isStopping || this.round) return;
    if (this.wakeAgain) return this.wake();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.wake(), delayMs);
    this.wakeTimer.unref();
  }

  private databaseLost(error: unknown): void {
    if (!this.isDatabaseDown) this.logger.warn(`mail delivery paused, the database is unavailable (${messageOf(error)}); retrying`);
    else this.databaseRetryMs = Math.min(this.databaseRetryMs * 2, DATABASE_RETRY_MAX_MS);
    this.isDatabaseDown = true;
  }

  private databaseBack(): void {
    if (this.isDatabaseDown) this.logger.log('mail delivery resumed');
    this.isDatabaseDown = false;
    this.databaseRetryMs = DATABASE_RETRY_MIN_MS;
  }

  private async listen(): Promise<void> {
    if (this.isStopping) return;
    try {
      const listener = await listenForNotifications(this.store.dataSource, MAIL_OUTBOX_CHANNEL, {
        onNotify: () => this.wake(),
        onResync: () => this.wake(),
      });
      if (this.isStopping) await listener.close();
      else this.listener = listener;
    } catch (error) {
      // The timers still deliver everything; only the instant wake-up waits for the database.
      this.logger.warn(`cannot LISTEN for new mail (${messageOf(error)}); polling until it can`);
      this.listenTimer = setTimeout(() => void this.listen(), LISTEN_RETRY_MS);
      this.listenTimer.unref();
    } finally {
      // Whatever was enqueued while nobody listened.
      this.wake();
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
