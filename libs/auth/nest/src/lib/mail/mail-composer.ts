import { Injectable } from '@nestjs/common';
import { MailLinkPaths } from '@latchkey/auth-contract';
import type { AuthConfig } from '../config/auth-config';
import type { MailKind, OutgoingMail } from './outgoing-mail';
import { InjectAuthConfig } from '../auth.constants';

const PRODUCT = 'Latchkey';
/** The web app's page that asks for a reset link (apps/web). */

/** What one mail says, before it is rendered as text and as HTML. */
interface MailContent {
  subject: string;
  /** Paragraphs of plain text (never markup). */
  intro: string[];
  action?: { label: string; url: string; validity: string };
  outro: string[];
}

/**
 * Every mail Latchkey sends, rendered from `APP_URL` and the links' TTLs:
 * plain text plus HTML, the product's name in each subject. A link carries
 * its token in the fragment (`#token=…`), which browsers never send to a
 * server, so it stays out of access logs and `Referer` headers.
 */
@Injectable()
export class MailComposer {
  constructor(@InjectAuthConfig() private readonly config: AuthConfig) {}

  /** To a new account's address (and on request): proves the address is theirs. */
  emailVerification(to: string, userId: string, token: string): OutgoingMail {
    return this.render('email_verification', to, userId, {
      subject: `Confirm your email address for ${PRODUCT}`,
      intro: [`Please confirm that ${to} is your email address for your ${PRODUCT} account.`],
      action: { label: 'Confirm email address', url: this.link(MailLinkPaths.verifyEmail, token), validity: duration(this.config.emailTokenTtlSeconds) },
      outro: [`If you did not create a ${PRODUCT} account, you can ignore this email; nothing happens unless the link is opened.`],
    });
  }

  /** To the address a user wants to change to; nothing changes until the link is used. */
  emailChangeConfirmation(newAddress: string, userId: string, token: string): OutgoingMail {
    return this.render('email_change_confirmation', newAddress, userId, {
      subject: `Confirm your new email address for ${PRODUCT}`,
      intro: [`Someone asked to change the email address of a ${PRODUCT} account to ${newAddress}. Open the link below to confirm it; your account keeps its current address until you do.`],
      action: { label: 'Confirm new email address', url: this.link(MailLinkPaths.verifyEmail, token), validity: duration(this.config.emailTokenTtlSeconds) },
      outro: ['If that was not you, ignore this email: the address stays as it was.'],
    });
  }

  passwordReset(to: string, userId: string, token: string): OutgoingMail {
    return this.render('password_reset', to, userId, {
      subject: `Reset your ${PRODUCT} password`,
      intro: [`Someone asked to reset the password of the ${PRODUCT} account for ${to}. Open the link below to choose a new one; every device signed in to the account will be signed out.`],
      action: { label: 'Choose a new password', url: this.link(MailLinkPaths.resetPassword, token), validity: duration(this.config.passwordResetTtlSeconds) },
      outro: ['Only the newest reset link works. If you did not ask for it, ignore this email: your password stays as it is.'],
    });
  }

  passwordChanged(to: string, userId: string): OutgoingMail {
    return this.render('password_changed', to, userId, {
      subject: `Your ${PRODUCT} password was changed`,
      intro: [`The password of the ${PRODUCT} account for ${to} was just changed, and the other devices signed in to it were signed out.`],
      outro: [`If that was not you, reset your password now at ${this.config.appUrl}${MailLinkPaths.forgotPassword}.`],
    });
  }

  /** To the old address, once the change is confirmed. */
  emailChanged(oldAddress: string, newAddress: string, userId: string): OutgoingMail {
    return this.render('email_changed', oldAddress, userId, {
      subject: `Your ${PRODUCT} email address was changed`,
      intro: [`The email address of your ${PRODUCT} account was changed from ${oldAddress} to ${newAddress}. Mail about the account now goes to the new address.`],
      outro: ['If that was not you, someone else may have control of your account: contact the site’s support right away.'],
    });
  }

  private link(path: string, token: string): string {
    return `${this.config.appUrl}${path}#token=${encodeURIComponent(token)}`;
  }

  private render(kind: MailKind, to: string, userId: string, content: MailContent): OutgoingMail {
    return { kind, to, userId, subject: content.subject, text: asText(content), html: asHtml(content) };
  }
}

function asText({ intro, action, outro }: MailContent): string {
  const parts = [...intro];
  if (action) parts.push(`${action.label}:\n${action.url}`, `The link works once, for ${action.validity}.`);
  parts.push(...outro, `— ${PRODUCT}`);
  return `${parts.join('\n\n')}\n`;
}

function asHtml({ subject, intro, action, outro }: MailContent): string {
  const paragraph = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  const body = intro.map(paragraph);
  if (action) {
    const href = escapeHtml(action.url);
    body.push(
      `<p style="margin:24px 0"><a href="${href}" style="background:#3f51b5;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block">${escapeHtml(action.label)}</a></p>`,
      `<p style="margin:0 0 16px;font-size:13px;color:#555555">Or copy this link into your browser: <a href="${href}" style="color:#3f51b5;word-break:break-all">${href}</a><br>The link works once, for ${escapeHtml(action.validity)}.</p>`,
    );
  }
  body.push(...outro.map(paragraph), `<p style="margin:24px 0 0;color:#555555">— ${PRODUCT}</p>`);
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="margin:0;padding:24px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:15px;line-height:1.5;color:#222222">`,
    '<div style="max-width:560px;margin:0 auto">',
    ...body,
    '</div></body></html>',
    '',
  ].join('\n');
}

/** Text as HTML content or attribute value: every character that could open markup or end a quote. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** 3600 → "1 hour", 86400 → "24 hours", 900 → "15 minutes", 172800 → "2 days". */
export function duration(seconds: number): string {
  const unit = (n: number, name: string) => `${n} ${name}${n === 1 ? '' : 's'}`;
  if (seconds >= 2 * 86_400 && seconds % 86_400 === 0) return unit(seconds / 86_400, 'day');
  if (seconds >= 3600 && seconds % 3600 === 0) return unit(seconds / 3600, 'hour');
  if (seconds >= 60) return unit(Math.round(seconds / 60), 'minute');
  return unit(seconds, 'second');
}
