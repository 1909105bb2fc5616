import { timeAgo } from './relative-time';

describe('timeAgo', () => {
  const now = Date.parse('2030-06-15T12:00:00Z');
  const words = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  const ago = (ms: number) => timeAgo(now - ms, now, words);
  const MINUTE = 60_000;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;

  it.each([
    [0, 'now'],
    [59_000, 'now'],
    [MINUTE, '1 minute ago'],
    [5 * MINUTE + 59_000, '5 minutes ago'],
    [59 * MINUTE, '59 minutes ago'],
    [HOUR, '1 hour ago'],
    [23 * HOUR, '23 hours ago'],
    [DAY, 'yesterday'],
    [6 * DAY, '6 days ago'],
    [7 * DAY, 'last week'],
    [3 * 7 * DAY, '3 weeks ago'],
    [45 * DAY, 'last month'],
    [200 * DAY, '6 months ago'],
    [400 * DAY, 'last year'],
    [800 * DAY, '2 years ago'],
  ])('%p ms ago is "%s"', (ms, text) => {
    expect(ago(ms)).toBe(text);
  });

  it('a time a little ahead of this clock (another machine wrote it) is now', () => {
    expect(ago(-5_000)).toBe('now');
  });

  it('says "just now" in the caller’s words when given them (after "Last active", "now" reads oddly)', () => {
    expect(timeAgo(now - 30_000, now, words, 'just now')).toBe('just now');
    expect(timeAgo(now - 2 * MINUTE, now, words, 'just now')).toBe('2 minutes ago');
  });

  it('speaks the language it is given', () => {
    expect(timeAgo(now - 5 * MINUTE, now, new Intl.RelativeTimeFormat('de', { numeric: 'auto' }))).toBe('vor 5 Minuten');
  });
});
