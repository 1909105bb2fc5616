import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One mail the test server accepted. */
export interface ReceivedMail {
  /** SMTP envelope: MAIL FROM and RCPT TO, as the client gave them. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  /** The first recipient (every Latchkey mail has one). */
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The HTML part; '' when the mail had none. */
  readonly html: string;
  readonly messageId: string | undefined;
  /** Every http(s) URL in the plain-text part, in order. */
  readonly links: readonly string[];
  /** The RFC 822 source as received. */
  readonly raw: Buffer;
  /** Everything mailparser made of it (headers, addresses, attachments). */
  readonly parsed: ParsedMail;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL should be. */
  readonly url: string;
  readonly port: number;
  /** Accepted mails, oldest first. */
  readonly messages: readonly ReceivedMail[];
  /**
   * The first accepted mail (already received or still to come) that matches;
   * rejects after `timeoutMs`, naming what did arrive. Never blocks the event
   * loop: the server runs in this process.
   */
  waitForMail(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** While on, every MAIL FROM gets `421` (service not available): an outage that still accepts connections. */
  refuse(on: boolean): void;
  /** Answers `550` to RCPT TO for these addresses (a mailbox that does not exist); none by default. */
  rejectRecipients(addresses: readonly string[]): void;
  /** Forgets the mails received so far. */
  clear(): void;
  /** Stops listening and drops open connections: the port refuses connections until `start()`. */
  stop(): Promise<void>;
  /** Listens again, on the same port. */
  start(): Promise<void>;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"]+/g;

/**
 * A real SMTP server (`smtp-server`) on 127.0.0.1, for tests: no TLS, any
 * login accepted, every message parsed with `mailparser`.
 *
 * @example
 * const smtp = await startTestSmtpServer();
 * const app = await startTestApp({ SMTP_URL: smtp.url });
 * …
 * const mail = await smtp.waitForMail((m) => m.to === 'ada@example.com');
 * const token = new URL(mail.links[0]).hash.slice('#token='.length);
 */
export async function startTestSmtpServer(options: { port?: number } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ predicate: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }>();
  let refusing = false;
  let rejected = new Set<string>();
  let server: SMTPServer | null = null;
  let port = options.port ?? 0;

  const accept = (mail: ReceivedMail) => {
    messages.push(mail);
    for (const waiter of waiters) {
      if (waiter.predicate(mail)) {
        waiters.delete(waiter);
        waiter.resolve(mail);
      }
    }
  };

  const listen = async () => {
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 100,
      // A reverse DNS lookup of 127.0.0.1 costs each connection ~100 ms here.
      disableReverseLookup: true,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
      onMailFrom: (_address, _session, callback) => callback(refusing ? smtpError(421, 'Service not available, try again later') : null),
      onRcptTo: (address, _session, callback) => callback(rejected.has(address.address.toLowerCase()) ? smtpError(550, 'No such mailbox') : null),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          simpleParser(raw).then(
            (parsed) => {
              const envelope = {
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              };
              const text = parsed.text ?? '';
              accept({
                envelope,
                to: envelope.to[0] ?? '',
                subject: parsed.subject ?? '',
                text,
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId,
                links: text.match(URL_IN_TEXT) ?? [],
                raw,
                parsed,
              });
              callback(null);
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    smtp.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      smtp.server.once('error', reject);
      smtp.listen(port, '127.0.0.1', () => {
        smtp.server.off('error', reject);
        resolve();
      });
    });
    port = (smtp.server.address() as AddressInfo).port;
    server = smtp;
  };

  await listen();

  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    messages,
    waitForMail(predicate = () => true, timeoutMs = 10_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ReceivedMail>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = messages.map((m) => `${m.to}: ${m.subject}`).join('; ') || 'none';
          reject(new Error(`no matching mail within ${timeoutMs} ms (received: ${seen})`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    refuse(on) {
      refusing = on;
    },
    rejectRecipients(addresses) {
      rejected = new Set(addresses.map((a) => a.toLowerCase()));
    },
    clear() {
      messages.length = 0;
    },
    async stop() {
      const smtp = server;
      server = null;
      if (!smtp) return;
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
    async start() {
      if (!server) await listen();
    },
  };
}

function smtpError(responseCode: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode });
}
