import { Logger } from '@nestjs/common';
import { startTestSmtpServer, TestSmtpServer } from '@latchkey/server-testing';
import type { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase, openTestDataSource, testAuthConfig } from '../../testing/test-database';
import type { AuthConfig } from '../config/auth-config';
import { inTransaction } from '../database/transaction';
import { MailComposer } from './mail-composer';
import { MailOutbox } from './mail-outbox';
import { DEFAULT_MAIL_RETRY_POLICY, MailRetryPolicy, MailSender } from './mail-sender';
import type { MailMessage, MailTransport } from './mail-transport';
import { SmtpMailTransport } from './smtp-mail-transport';

/** The outbox and its sender against a real database (PGlite, or PostgreSQL with DATABASE_URL) and a real SMTP server. */
describe('MailOutbox and MailSender', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let config: AuthConfig;
  let smtp: TestSmtpServer;
  let composer: MailComposer;
  const outbox = new MailOutbox();
  const senders: MailSender[] = [];
  const extraDataSources: DataSource[] = [];
  let ada: string;
  let bob: string;
  /** What the sender logs, kept off the console. */
  let logs: Record<'log' | 'warn' | 'error' | 'debug', jest.SpyInstance>;
  const lines = (level: keyof typeof logs) => logs[level].mock.calls.map(([line]) => String(line));
  const events = (level: keyof typeof logs) => lines(level).filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));

  /** Quick retries, so a test sees several attempts in seconds. */
  const FAST: MailRetryPolicy = { ...DEFAULT_MAIL_RETRY_POLICY, firstRetrySeconds: 0.5, maxRetrySeconds: 2, pollSeconds: 1 };

  const sender = (options: { policy?: MailRetryPolicy; transport?: MailTransport; on?: DataSource } = {}) => {
    const made = new MailSender(config, options.on ?? dataSource, options.transport ?? new SmtpMailTransport(smtp.url), options.policy ?? FAST);
    senders.push(made);
    return made;
  };
  const enqueueReset = (to: string, userId: string, token = 'reset-token') =>
    inTransaction(dataSource, (manager) => outbox.enqueue(manager, composer.passwordReset(to, userId, token)));
  const rows = (): Promise<{ id: string; status: string; attempts: number; text_body: string | null; html_body: string | null; last_error: string | null; sent_at: Date | null; user_id: string | null }[]> =>
    dataSource.query(`SELECT id, status, attempts, text_body, html_body, last_error, sent_at, user_id FROM mail_outbox ORDER BY created_at, id`);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  async function until<T>(probe: () => Promise<T>, isDone: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (isDone(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    db = await createTestDatabase();
    config = testAuthConfig(db, { SMTP_URL: smtp.url, APP_URL: 'https://app.example.com' });
    composer = new MailComposer(config);
    dataSource = await openTestDataSource(db);
    [{ id: ada }, { id: bob }] = await dataSource.query(`INSERT INTO users (email) VALUES ('ada@example.com'), ('bob@example.com') RETURNING id`);
  });

  beforeEach(() => {
    logs = {
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      debug: jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined),
    };
  });

  afterEach(async () => {
    await Promise.all(senders.splice(0).map((s) => s.onApplicationShutdown()));
    await Promise.all(extraDataSources.splice(0).map((ds) => ds.destroy()));
    await dataSource.query(`DELETE FROM mail_outbox`);
    smtp.refuse(false);
    smtp.rejectRecipients([]);
    smtp.clear();
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await smtp?.stop();
    await db?.drop();
  });

  it('delivers a committed mail within about a second, once, and then forgets its body', async () => {
    // No poll within the test: only the NOTIFY at commit can wake the sender this fast.
    await sender({ policy: { ...FAST, pollSeconds: 60 } }).start();
    await sleep(300);
    const committed = Date.now();
    await enqueueReset('ada@example.com', ada, 'tok-once');
    const mail = await smtp.waitForMail((m) => m.to === 'ada@example.com', 5000);
    expect(Date.now() - committed).toBeLessThan(1500);
    expect(mail.subject).toContain('Latchkey');
    expect(mail.parsed.from?.value).toEqual([{ name: 'Latchkey', address: 'no-reply@localhost' }]);
    expect(mail.links).toContain('https://app.example.com/reset-password#token=tok-once');
    expect(mail.html).toContain('href="https://app.example.com/reset-password#token=tok-once"');
    const [row] = await until(rows, ([r]) => r?.status === 'sent');
    expect(row).toMatchObject({ status: 'sent', attempts: 1, text_body: null, html_body: null, last_error: null, user_id: ada });
    expect(mail.messageId).toBe(`<${row.id}@localhost>`);
    await sleep(1500);
    expect(smtp.messages).toHaveLength(1);
  });

  it('sends nothing for a transaction that rolled back', async () => {
    await sender().start();
    await expect(
      inTransaction(dataSource, async (manager) => {
        await outbox.enqueue(manager, composer.passwordReset('ada@example.com', ada, 'never'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await enqueueReset('bob@example.com', bob);
    await smtp.waitForMail((m) => m.to === 'bob@example.com');
    await sleep(500);
    expect(smtp.messages.map((m) => m.to)).toEqual(['bob@example.com']);
    expect(await rows()).toHaveLength(1);
  });

  it('two senders on one database never deliver a row twice', async () => {
    // On PostgreSQL the second sender has a pool of its own, as a second instance would.
    const other = db.kind === 'postgres' ? await openTestDataSource(db) : dataSource;
    if (other !== dataSource) extraDataSources.push(other);
    await inTransaction(dataSource, async (manager) => {
      for (let i = 0; i < 50; i++) await outbox.enqueue(manager, composer.passwordReset(`user${i}@example.com`, ada, `tok-${i}`));
    });
    const [a, b] = [sender(), sender({ on: other })];
    const counts = await Promise.all([a.deliverDue(), b.deliverDue(), a.deliverDue(), b.deliverDue()]);
    expect(counts[0] + counts[1]).toBe(50);
    const received = smtp.messages.map((m) => m.to).sort();
    expect(received).toEqual(Array.from({ length: 50 }, (_, i) => `user${i}@example.com`).sort());
    expect(new Set(smtp.messages.map((m) => m.messageId)).size).toBe(50);
    expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // Started, with their wake-ups and polls, they find nothing more to send.
    await Promise.all([a.start(), b.start()]);
    await sleep(1500);
    expect(smtp.messages).toHaveLength(50);
    process.stdout.write(`two senders split 50 mails ${counts[0]} / ${counts[1]} (${db.kind})\n`);
  });

  it('retries with backoff while the SMTP server answers 421, and delivers once when it is back', async () => {
    smtp.refuse(true);
    await sender().start();
    await enqueueReset('ada@example.com', ada, 'tok-retry');
    const [failing] = await until(rows, ([r]) => (r?.attempts ?? 0) >= 3 && r.status === 'pending');
    expect(failing.last_error).toMatch(/421/);
    expect(failing.text_body).toContain('tok-retry');
    expect(smtp.messages).toHaveLength(0);
    const retries = events('warn').filter((line) => line.event === 'mail_retry');
    expect(retries.slice(0, 2).map((line) => line.attempt)).toEqual([1, 2]);
    for (const line of lines('warn')) expect(line).not.toContain('token');

    smtp.refuse(false);
    await smtp.waitForMail((m) => m.to === 'ada@example.com', 10_000);
    const [sent] = await until(rows, ([r]) => r?.status === 'sent');
    expect(sent.attempts).toBeGreaterThanOrEqual(4);
    await sleep(1500);
    expect(smtp.messages).toHaveLength(1);
  });

  it('waits longer after each failure: doubling from seconds, up to hourly', () => {
    const delays = Array.from({ length: 14 }, (_, i) => new MailSender(config, dataSource, { send: async () => undefined }).retryDelaySeconds(i + 1));
    const bases = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600, 3600];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(bases[i]);
      expect(delay).toBeLessThanOrEqual(Math.min(bases[i] * 1.2, 3600));
    });
    // Attempts keep coming for at least 24 h before a mail is given up.
    expect(DEFAULT_MAIL_RETRY_POLICY.horizonSeconds).toBeGreaterThanOrEqual(24 * 3600);
  });

  it('gives a mail up after the retry horizon: marked failed, body dropped, logged without its link', async () => {
    smtp.refuse(true);
    await enqueueReset('ada@example.com', ada, 'tok-too-late');
    await dataSource.query(`UPDATE mail_outbox SET created_at = now() - interval '25 hours'`);
    expect(await sender({ policy: DEFAULT_MAIL_RETRY_POLICY }).deliverDue()).toBe(0);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 1, text_body: null, html_body: null });
    expect(row.last_error).toMatch(/421/);
    const logged = lines('error');
    expect(logged).toHaveLength(1);
    expect(JSON.parse(logged[0])).toMatchObject({ event: 'mail_failed', id: row.id, kind: 'password_reset', attempts: 1, permanent: false });
    expect(logged[0]).not.toContain('tok-too-late');
    // A mail younger than the horizon is retried instead.
    await enqueueReset('bob@example.com', bob);
    await sender({ policy: DEFAULT_MAIL_RETRY_POLICY }).deliverDue();
    expect((await rows()).map((r) => r.status)).toEqual(['failed', 'pending']);
  });

  it('gives up at once on a recipient the server says does not exist (550)', async () => {
    smtp.rejectRecipients(['ada@example.com']);
    await enqueueReset('ada@example.com', ada);
    await sender().deliverDue();
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/550/);
  });

  it('takes back a row whose sender died mid-send once its claim runs out, and leaves a live claim alone', async () => {
    await enqueueReset('ada@example.com', ada);
    await enqueueReset('bob@example.com', bob);
    const [dead, live] = await rows();
    await dataSource.query(`UPDATE mail_outbox SET status = 'sending', attempts = 1, next_attempt_at = now() - interval '1 second' WHERE id = $1`, [dead.id]);
    await dataSource.query(`UPDATE mail_outbox SET status = 'sending', attempts = 1, next_attempt_at = now() + interval '2 minutes' WHERE id = $1`, [live.id]);
    expect(await sender().deliverDue()).toBe(1);
    expect(smtp.messages.map((m) => m.to)).toEqual(['ada@example.com']);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 2],
      ['sending', 1],
    ]);
  });

  it('discards a user’s unsent mail in the caller’s transaction, and their sent mail keeps no user id', async () => {
    await enqueueReset('ada@example.com', ada);
    await sender().deliverDue();
    await enqueueReset('ada@example.com', ada);
    await enqueueReset('ada@example.com', ada);
    await enqueueReset('bob@example.com', bob);
    await inTransaction(dataSource, (manager) => outbox.discardPending(manager, ada));
    expect((await rows()).map((r) => [r.user_id, r.status])).toEqual([
      [null, 'sent'],
      [bob, 'pending'],
    ]);
  });

  it('refuses a recipient that is not one mailbox', async () => {
    for (const to of ['a@example.com, b@example.com', 'a@example.com\r\nBcc: b@example.com', 'nobody']) {
      await expect(inTransaction(dataSource, (manager) => outbox.enqueue(manager, composer.passwordChanged(to, ada)))).rejects.toThrow('not one mailbox address');
    }
    expect(await rows()).toHaveLength(0);
  });

  it('lets a send in flight finish at shutdown, and records it', async () => {
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    const smtpTransport = new SmtpMailTransport(smtp.url);
    const slow: MailTransport = {
      send: async (message: MailMessage) => {
        started();
        await sleep(1000);
        await smtpTransport.send(message);
      },
    };
    const s = sender({ transport: slow });
    await s.start();
    await enqueueReset('ada@example.com', ada);
    await sending;
    const stopping = Date.now();
    await s.beforeApplicationShutdown();
    expect(Date.now() - stopping).toBeGreaterThan(500);
    expect(smtp.messages).toHaveLength(1);
    expect((await rows())[0].status).toBe('sent');
  });

  it('cleans up old delivered and failed rows, keeping recent ones and anything still to send', async () => {
    for (let i = 0; i < 5; i++) await enqueueReset('ada@example.com', ada);
    const ids = (await rows()).map((r) => r.id);
    const set = (id: string, status: string, ageDays: number) =>
      dataSource.query(`UPDATE mail_outbox SET status = $2, created_at = now() - $3 * interval '1 day' WHERE id = $1`, [id, status, ageDays]);
    await set(ids[0], 'sent', 8); // gone
    await set(ids[1], 'sent', 1); // kept
    await set(ids[2], 'failed', 8); // kept: failures stay a month
    await set(ids[3], 'failed', 31); // gone
    await set(ids[4], 'pending', 40); // kept: never deleted unsent
    expect(await sender().cleanup()).toBe(2);
    expect((await rows()).map((r) => r.id).sort()).toEqual([ids[1], ids[2], ids[4]].sort());
  });

  it('survives a database outage: logs, keeps its timers, and never throws', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const gone = { query: () => Promise.reject(down), options: {} } as unknown as DataSource;
    const s = sender({ on: gone });
    await s.start();
    await expect(s.deliverDue()).resolves.toBe(0);
    await expect(s.cleanup()).resolves.toBe(0);
    await sleep(200);
    expect(lines('warn').some((line) => /mail delivery paused, the database is unavailable/.test(line))).toBe(true);
    expect(lines('warn').some((line) => /cannot LISTEN/.test(line))).toBe(true);
    expect(lines('warn').some((line) => /mail cleanup skipped/.test(line))).toBe(true);
  });
});
