import { createHash, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { AuthPaths, MailLinkPaths } from '@latchkey/auth-contract';
import { startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from '@latchkey/server-testing';
import { AuthClient, SendOptions } from '../auth/auth-client';
import { dataSourceOf } from '../auth/db';
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
  await new Promise((resolve) => setTimeout(resolve, ms));
  if (mailsTo(smtp, to, subject).length !== before) throw new Error(`a ${subject} mail reached ${to}`);
}

export function sha256(token: string): Buffer {
  return createHash('sha256').update(token).digest();
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

/** Polls `call` until it answers `status`; the last status once `deadlineMs` passes. */
export async function statusWithin(deadlineMs: number, status: number, call: () => Promise<Response>): Promise<number> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const res = await call();
    if (res.status === status || Date.now() >= until) return res.status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The same browser's cookies, pointed at another instance of the API. */
export function onInstance(t: TestApp, client: AuthClient): AuthClient {
  return new AuthClient(t, { ip: client.ip, userAgent: client.userAgent, jar: client.jar.clone() });
}

/** The account endpoints, for any browser. */
export const accountApi = {
  forgot: (client: AuthClient, email: string, options?: SendOptions) => client.post(AuthPaths.passwordForgot, { email }, options),
  reset: (client: AuthClient, token: string, password: string, options?: SendOptions) => client.post(AuthPaths.passwordReset, { token, password }, options),
  changePassword: (client: AuthClient, currentPassword: string, newPassword: string) => client.post(AuthPaths.passwordChange, { currentPassword, newPassword }),
  requestVerification: (client: AuthClient) => client.post(AuthPaths.emailVerification),
  verify: (client: AuthClient, token: string) => client.post(AuthPaths.emailVerify, { token }),
  changeEmail: (client: AuthClient, newEmail: string, password?: string) => client.post(AuthPaths.emailChange, password === undefined ? { newEmail } : { newEmail, password }),
  updateProfile: (client: AuthClient, body: object | string) => client.send('patch', AuthPaths.me, { body }),
  deleteAccount: (client: AuthClient, password?: string) => client.send('delete', AuthPaths.me, { body: password === undefined ? {} : { password } }),
};

/** A fresh lower-case address (the form the API stores and the SMTP envelope carries). */
export function uniqueMailbox(tag: string): string {
  return `${tag}-${randomUUID()}@example.com`;
}
