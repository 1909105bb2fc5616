import { Logger } from '@nestjs/common';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { makePrivateDirectory } from '../config/private-directory';
import type { MailMessage, MailTransport } from './mail-transport';
import { messageIdOf } from './mail-transport';

const FIRST_LINK = /https?:\/\/[^\s<>"]+/;

/**
 * Development without SMTP_URL: each mail becomes an RFC 822 file
 * `DATA_DIR/mail/<time>-<kind>-<id>.eml` (open it in any mail client), readable
 * by this user only, and its link is logged so `npm start` works with no mail
 * server. Never chosen in production, where SMTP_URL is required: the log
 * line carries the link's token.
 */
export class FolderMailTransport implements MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(readonly directory: string) {
    makePrivateDirectory(directory);
  }

  async send(message: MailMessage): Promise<void> {
    const info = await this.composer.sendMail({
      from: message.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: messageIdOf(message),
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const file = join(this.directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.kind}-${message.id}.eml`);
    // Made private again in case the folder was replaced since start-up.
    makePrivateDirectory(this.directory, { withContents: false });
    await writeFile(file, info.message as Buffer, { mode: 0o600, flag: 'wx' });
    const link = FIRST_LINK.exec(message.text)?.[0];
    this.logger.log(`${message.kind} to ${message.to}: ${link ?? message.subject} (${file})`);
  }
}
