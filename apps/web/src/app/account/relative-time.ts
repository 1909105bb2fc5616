const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** The largest unit that fits, in ascending order of size. */
const UNITS: [Intl.RelativeTimeFormatUnit, number, number][] = [
  ['minute', MINUTE, HOUR],
  ['hour', HOUR, DAY],
  ['day', DAY, WEEK],
  ['week', WEEK, MONTH],
  ['month', MONTH, YEAR],
];

/**
 * How long ago `then` was, in words: `justNow` under a minute (Intl's own "now" by default),
 * then "5 minutes ago", "yesterday", "3 weeks ago"… A time a little ahead of this device's
 * clock is just now, not "in 2 seconds".
 */
export function timeAgo(
  then: number,
  now: number,
  words: Intl.RelativeTimeFormat,
  justNow = words.format(0, 'second'),
): string {
  const elapsed = Math.max(0, now - then);
  if (elapsed < MINUTE) return justNow;
  const [unit, size] = UNITS.find(([, , below]) => elapsed < below) ?? ['year', YEAR];
  return words.format(-Math.floor(elapsed / size), unit);
}
