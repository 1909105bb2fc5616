import { MailLinkPaths } from '@latchkey/auth-contract';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@latchkey/server-testing';
import { dataSourceOf } from '../auth/db';
import { sleep } from '../harness';
import { startTestApp, TestApp, TestAppOptions } from '../test-app';
import type { Environment } from '@latchkey/auth-nest';

export const APP_URL = 'https://app.latchkey.test';

/** The mails' subjects (the product's name in each). */
export const SUBJECTS = {
  verification: /^Confirm your email address for Latchkey$/,
  emailChange: /^Confirm your new email address for Latchkey$/,
  reset: /^Reset your Latchkey password$/,
  passwordChanged: /^Your Latchkey password was changed$/,
  emailChanged: /^Your Latchkey email address was changed$/,
} as const;

export type MailSubject = keyof typeof SUBJECTS;

export interface AccountsApp {
  t: TestApp;
  smtp: TestSmtpServer;
  close(): Promise<void>;
}

/** The API with its mail going to a real SMTP server of the test's own; per-client addresses (TRUST_PROXY). */
export async function startAccountsApp(env: Environment = {}, options: TestAppOptions & { smtp?: TestSmtpServer } = {}): Promise<AccountsApp> {
  const smtp = options.smtp ?? (await startTestSmtpServer());
  const t = await startTestApp({ TRUST_PROXY: 'true', APP_URL, SMTP_URL: smtp.url, ...env }, options);
  return {
    t,
    smtp,
    close: async () => {
      await t.close();
      if (!options.smtp) await smtp.stop();
    },
  };
}

/** The first mail of that kind to `to` that arrives (already or within the timeout). */
export function mailTo(smtp: TestSmtpServer, to: string, subject: MailSubject, timeoutMs = 10_000): Promise<ReceivedMail> {
  return smtp.waitForMail((mail) => mail.to === to && SUBJECTS[subject].test(mail.subject), timeoutMs);
}

/** Every mail of that kind that reached `to` so far. */
export function mailsTo(smtp: TestSmtpServer, to: string, subject: MailSubject): ReceivedMail[] {
  return smtp.messages.filter((mail) => mail.to === to && SUBJECTS[subject].test(mail.subject));
}

/** The token of a mail's link, as the web page reads it: from the fragment, `#token=…`. */
export function tokenIn(mail: ReceivedMail, page: keyof typeof MailLinkPaths): string {
  const link = mail.links.find((l) => new URL(l).pathname === MailLinkPaths[page]);
  if (!link) throw new Error(`no ${page} link in ${JSON.stringify(mail.links)}`);
  const url = new URL(link);
  if (url.origin !== APP_URL || url.search !== '') throw new Error(`unexpected link ${link}`);
  const token = new URLSearchParams(url.hash.slice(1)).get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** Waits until no mail of that kind to `to` arrives within `ms`: what "not sent" looks like from outside. */
export async function expectNoMail(smtp: TestSmtpServer, to: string, subject: MailSubject, ms = 1500): Promise<void> {
  const before = mailsTo(smtp, to, subject).length;
  await sleep(ms);
  if (mailsTo(smtp, to, subject).length !== before) throw new Error(`a ${subject} mail reached ${to}`);
}

export interface AccountTokenRow {
  user_id: string;
  purpose: string;
  token_hash: Buffer;
  new_email: string | null;
  expires_at: Date;
  used_at: Date | null;
}

export async function accountTokensOf(t: TestApp, userId: string): Promise<AccountTokenRow[]> {
  return dataSourceOf(t).query(`SELECT * FROM account_tokens WHERE user_id = $1 ORDER BY created_at`, [userId]);
}
