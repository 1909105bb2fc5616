import { MailComposer, MailOutbox } from '@latchkey/auth-nest';
import { startTestSmtpServer, TestSmtpServer } from '@latchkey/server-testing';
import { DataSource } from 'typeorm';
import { sleep } from '../harness';
import { startTestApp, TestApp } from '../test-app';

/**
 * The contract ("Email"): while the SMTP server is down nothing is lost, the
 * mail goes out when it is back, and several instances never deliver one
 * outbox row twice. Two API instances on one database share one real SMTP
 * server; the test stops the server mid-run, writes mail to the outbox the
 * way a change does (in a transaction, through MailOutbox), and starts the
 * server again on the same port. Runs on PGlite or, with DATABASE_URL, on
 * PostgreSQL (two connection pools, as two processes would have).
 */
const OUTAGE_MS = 5000;
/** Backoff starts at 2 s and doubles: after a 5 s outage the next attempt is due within ~5 s. */
const RECOVERY_LIMIT_MS = 15_000;
const MAILS_DURING_OUTAGE = 20;

describe('SMTP outage', () => {
  let smtp: TestSmtpServer;
  let a: TestApp;
  let b: TestApp;
  let userId: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    a = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'https://app.example.com' });
    b = await startTestApp({ SMTP_URL: smtp.url, APP_URL: 'https://app.example.com' }, { sameDatabaseAs: a });
    [{ id: userId }] = await a.app.get(DataSource).query(`INSERT INTO users (email) VALUES ('outage@example.com') RETURNING id`);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await smtp?.stop();
  });

  /** Writes `count` reset mails in one transaction of `app`, as a change would. */
  async function enqueue(app: TestApp, count: number, prefix: string): Promise<void> {
    const outbox = app.app.get(MailOutbox);
    const composer = app.app.get(MailComposer);
    await app.app.get(DataSource).transaction(async (manager) => {
      for (let i = 0; i < count; i++) await outbox.enqueue(manager, composer.passwordReset(`${prefix}-${i}@example.com`, userId, `${prefix}-token-${i}`));
    });
  }

  const outboxRows = (): Promise<{ status: string; attempts: number; last_error: string | null }[]> =>
    a.app.get(DataSource).query(`SELECT status, attempts, last_error FROM mail_outbox ORDER BY created_at`);

  it('keeps every mail while the server is down and delivers each exactly once when it is back', async () => {
    // Before: a mail goes out at once.
    let started = Date.now();
    await enqueue(a, 1, 'before');
    await smtp.waitForMail((m) => m.to === 'before-0@example.com', 5000);
    const normalMs = Date.now() - started;

    // The server goes away mid-run (its pooled connections are dropped too).
    await smtp.stop();
    const enqueuedAt = Date.now();
    await enqueue(a, MAILS_DURING_OUTAGE / 2, 'during-a');
    await enqueue(b, MAILS_DURING_OUTAGE / 2, 'during-b');
    await sleep(OUTAGE_MS);
    const waiting = (await outboxRows()).filter((row) => row.status !== 'sent');
    expect(waiting).toHaveLength(MAILS_DURING_OUTAGE);
    expect(waiting.every((row) => row.status === 'pending' && row.attempts >= 1)).toBe(true);
    expect(waiting[0].last_error).toMatch(/ECONNREFUSED/);
    const attemptsDuringOutage = Math.max(...waiting.map((row) => row.attempts));

    // Back on the same port.
    await smtp.start();
    const backAt = Date.now();
    started = Date.now();
    const isDuring = (to: string) => to.startsWith('during-');
    while (smtp.messages.filter((m) => isDuring(m.to)).length < MAILS_DURING_OUTAGE) {
      if (Date.now() - started > RECOVERY_LIMIT_MS) throw new Error(`only ${smtp.messages.filter((m) => isDuring(m.to)).length} of ${MAILS_DURING_OUTAGE} mails arrived within ${RECOVERY_LIMIT_MS} ms of the server's return`);
      await sleep(50);
    }
    const lastArrivedAt = Date.now();
    const firstArrived = await smtp.waitForMail((m) => isDuring(m.to));
    expect(firstArrived.links[0]).toMatch(/^https:\/\/app\.example\.com\/reset-password#token=during-/);

    // Nothing twice, also after both instances' retry timers and polls had time to run again.
    await sleep(3000);
    const during = smtp.messages.filter((m) => isDuring(m.to)).map((m) => m.to);
    expect(during.sort()).toEqual(
      [...Array.from({ length: MAILS_DURING_OUTAGE / 2 }, (_, i) => `during-a-${i}@example.com`), ...Array.from({ length: MAILS_DURING_OUTAGE / 2 }, (_, i) => `during-b-${i}@example.com`)].sort(),
    );
    expect((await outboxRows()).every((row) => row.status === 'sent')).toBe(true);

    process.stdout.write(
      `SMTP outage (${a.db.kind}): normal delivery ${normalMs} ms; ${MAILS_DURING_OUTAGE} mails enqueued during a ${OUTAGE_MS} ms outage ` +
        `(up to ${attemptsDuringOutage} attempts each meanwhile); all delivered ${lastArrivedAt - enqueuedAt} ms after enqueue, ` +
        `${lastArrivedAt - backAt} ms after the server came back\n`,
    );
  });
});
