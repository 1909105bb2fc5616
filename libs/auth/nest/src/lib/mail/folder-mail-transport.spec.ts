import { Logger } from '@nestjs/common';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { AuthConfig } from '../config/auth-config';
import { defaultMailTransport } from './default-mail-transport';
import { FolderMailTransport } from './folder-mail-transport';
import { MailComposer } from './mail-composer';
import { SmtpMailTransport } from './smtp-mail-transport';

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('FolderMailTransport (development, no SMTP_URL)', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lk-mail-'));
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
    jest.restoreAllMocks();
  });

  it('writes each mail as a parseable .eml, readable by this user only, and logs its link', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const dir = join(root, 'mail');
    const transport = new FolderMailTransport(dir);
    expect(modeOf(dir)).toBe('700');
    const composer = new MailComposer({ appUrl: 'http://localhost:3000', passwordResetTtlSeconds: 3600, emailTokenTtlSeconds: 86_400 } as AuthConfig);
    const mail = composer.passwordReset('ada@example.com', 'u1', 'dev-token');
    const id = '3f2b7a9e-0000-4000-8000-000000000001';
    await transport.send({ ...mail, id, from: 'Latchkey <no-reply@localhost>' });

    const files = readdirSync(dir);
    expect(files).toEqual([expect.stringMatching(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z-password_reset-${id}\\.eml$`))]);
    const file = join(dir, files[0]);
    expect(modeOf(file)).toBe('600');
    const parsed = await simpleParser(readFileSync(file));
    expect(parsed.subject).toBe(mail.subject);
    expect(parsed.from?.value).toEqual([{ name: 'Latchkey', address: 'no-reply@localhost' }]);
    expect(parsed.text?.trim()).toBe(mail.text.trim());
    expect(parsed.html).toContain('href="http://localhost:3000/reset-password#token=dev-token"');
    expect(parsed.messageId).toBe(`<${id}@localhost>`);

    const [line] = log.mock.calls.map(([message]) => String(message));
    expect(line).toContain('password_reset to ada@example.com');
    expect(line).toContain('http://localhost:3000/reset-password#token=dev-token');
    expect(line).toContain(file);
  });

  it('narrows a mail folder an older version left open', () => {
    const dir = join(root, 'mail');
    new FolderMailTransport(dir);
    chmodSync(dir, 0o755);
    new FolderMailTransport(dir);
    expect(modeOf(dir)).toBe('700');
  });

  it('is the default without SMTP_URL; SMTP is the default with it', () => {
    const base = { mail: { from: 'a@localhost', smtpUrl: null, directory: join(root, 'mail') } } as AuthConfig;
    expect(defaultMailTransport(base)).toBeInstanceOf(FolderMailTransport);
    const smtp = defaultMailTransport({ mail: { ...base.mail, smtpUrl: 'smtp://127.0.0.1:2525', directory: null } } as AuthConfig);
    expect(smtp).toBeInstanceOf(SmtpMailTransport);
    (smtp as SmtpMailTransport).close();
    expect(() => defaultMailTransport({ mail: { ...base.mail, directory: null } } as AuthConfig)).toThrow(/SMTP_URL/);
  });
});
