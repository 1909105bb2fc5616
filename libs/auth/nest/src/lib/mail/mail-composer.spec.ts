import type { AuthConfig } from '../config/auth-config';
import { duration, escapeHtml, MailComposer } from './mail-composer';
import type { OutgoingMail } from './outgoing-mail';

const config = { appUrl: 'https://app.example.com', passwordResetTtlSeconds: 3600, emailTokenTtlSeconds: 86_400 } as AuthConfig;
const composer = new MailComposer(config);
const TOKEN = 'tok_ABC-123_xyz';
const USER = '00000000-0000-4000-8000-000000000001';

const everyMail = (to = 'ada@example.com'): OutgoingMail[] => [
  composer.emailVerification(to, USER, TOKEN),
  composer.emailChangeConfirmation(to, USER, TOKEN),
  composer.passwordReset(to, USER, TOKEN),
  composer.passwordChanged(to, USER),
  composer.emailChanged(to, 'new@example.com', USER),
];

describe('MailComposer', () => {
  it('names the product in every subject and addresses the mail to the account', () => {
    const mails = everyMail();
    expect(mails.map((m) => m.kind)).toEqual(['email_verification', 'email_change_confirmation', 'password_reset', 'password_changed', 'email_changed']);
    for (const mail of mails) {
      expect(mail.subject).toContain('Latchkey');
      expect(mail).toMatchObject({ to: 'ada@example.com', userId: USER });
      expect(mail.text.length).toBeGreaterThan(50);
      expect(mail.html).toMatch(/^<!doctype html>/);
    }
  });

  it('links to the reset and verification pages of APP_URL with the token only in the fragment', () => {
    const reset = composer.passwordReset('ada@example.com', USER, TOKEN);
    const link = `https://app.example.com/reset-password#token=${TOKEN}`;
    expect(reset.text).toContain(link);
    expect(reset.html).toContain(`href="${link}"`);
    for (const mail of [composer.emailVerification('ada@example.com', USER, TOKEN), composer.emailChangeConfirmation('new@example.com', USER, TOKEN)]) {
      expect(mail.text).toContain(`https://app.example.com/verify-email#token=${TOKEN}`);
    }
    for (const mail of everyMail()) {
      // The token appears only after a `#token=` (never in a path or query a server would log).
      for (const at of indexesOf(mail.text + mail.html, TOKEN)) expect((mail.text + mail.html).slice(at - 7, at)).toBe('#token=');
      const urls = (mail.text + mail.html).match(/https?:\/\/[^\s<>"]+/g) ?? [];
      for (const url of urls) expect(new URL(url.replace(/&#39;|&amp;/g, '')).search).toBe('');
    }
  });

  it('carries no token in the notices', () => {
    for (const mail of [composer.passwordChanged('ada@example.com', USER), composer.emailChanged('ada@example.com', 'new@example.com', USER)]) {
      expect(mail.text + mail.html).not.toContain('#token=');
    }
  });

  it('says how long each link works, from the configured TTLs', () => {
    expect(composer.passwordReset('ada@example.com', USER, TOKEN).text).toContain('for 1 hour');
    expect(composer.emailVerification('ada@example.com', USER, TOKEN).text).toContain('for 24 hours');
    const short = new MailComposer({ ...config, passwordResetTtlSeconds: 900, emailTokenTtlSeconds: 172_800 });
    expect(short.passwordReset('ada@example.com', USER, TOKEN).html).toContain('for 15 minutes');
    expect(short.emailChangeConfirmation('ada@example.com', USER, TOKEN).html).toContain('for 2 days');
  });

  it('tells the old address which address the account moved to', () => {
    const mail = composer.emailChanged('old@example.com', 'new@example.com', USER);
    expect(mail.to).toBe('old@example.com');
    expect(mail.text).toContain('old@example.com');
    expect(mail.text).toContain('new@example.com');
  });

  it('escapes every interpolated value in the HTML', () => {
    const hostile = '"><script>alert(1)</script>\'@example.com';
    const hostileToken = '"><img src=x onerror=alert(1)>';
    const hostileConfig = { ...config, appUrl: 'https://app.example.com/"><b>x</b>' } as AuthConfig;
    const evil = new MailComposer(hostileConfig);
    const mails = [
      evil.emailVerification(hostile, USER, hostileToken),
      evil.emailChangeConfirmation(hostile, USER, hostileToken),
      evil.passwordReset(hostile, USER, hostileToken),
      evil.passwordChanged(hostile, USER),
      evil.emailChanged(hostile, hostile, USER),
    ];
    for (const mail of mails) {
      expect(mail.html).not.toContain('<script');
      expect(mail.html).not.toContain('<img');
      expect(mail.html).not.toContain('<b>');
      expect(mail.html).not.toContain(`'@example.com`);
      expect(mail.html).toContain('&#34;&#62;');
    }
    // The token is URL-encoded in the link; the address is escaped in the prose.
    expect(mails[2].text).toContain(`#token=${encodeURIComponent(hostileToken)}`);
    expect(mails[3].html).toContain('&#34;&#62;&#60;script&#62;alert(1)&#60;/script&#62;&#39;@example.com');
  });

  it('escapes the five characters that matter, and spells durations out', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
    expect([60, 90, 3600, 7200, 86_400, 172_800, 3 * 86_400 + 3600].map(duration)).toEqual(['1 minute', '2 minutes', '1 hour', '2 hours', '24 hours', '2 days', '73 hours']);
  });
});

function indexesOf(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}
