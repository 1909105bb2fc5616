/** Where to land after signing in when no (safe) return URL was asked for. */
export const DEFAULT_RETURN_URL = '/';

export interface ReturnUrlOptions {
  /**
   * Answered instead of a missing or unsafe candidate.
   * @default DEFAULT_RETURN_URL
   * @example { fallback: '/account' }
   */
  fallback?: string;
  /**
   * Paths (matched against the normalised pathname) a user is never sent to,
   * such as the sign-in pages themselves; they get the fallback.
   * @example { excludedPaths: ['/login', '/register'] }
   */
  excludedPaths?: readonly string[];
}

const BASE = 'http://latchkey.invalid';
/** Backslashes read as `/` and C0 controls are dropped by URL parsers: `/\t/evil.example` is `//evil.example`. */
const UNSAFE_CHARACTER = /[\\\p{Cc}]/u;

/**
 * A same-origin path (with query and fragment) to send a user back to, or the
 * fallback. The candidate is normalised as a browser would (`/a/../b` → `/b`)
 * and the result judged again, so no spelling (`//evil.example`,
 * `/.//evil.example`, `/%2e//evil.example`, `/\evil.example`,
 * `https://evil.example`, `javascript:…`) ever leaves the site.
 *
 * @example safeReturnUrl(params.get('returnUrl'), { fallback: '/account', excludedPaths: ['/login'] })
 */
export function safeReturnUrl(candidate: unknown, options: ReturnUrlOptions = {}): string {
  const fallback = options.fallback ?? DEFAULT_RETURN_URL;
  if (!isPlainPath(candidate)) return fallback;
  const resolved = resolve(candidate);
  // Judge what the browser will see: dot segments may have turned `/.//x` into `//x`.
  if (resolved === null || !isPlainPath(resolved.path) || resolve(resolved.path)?.path !== resolved.path) return fallback;
  return options.excludedPaths?.includes(resolved.pathname) ? fallback : resolved.path;
}

/** One leading `/`, never `//`; nothing a URL parser would drop or turn into a slash. */
function isPlainPath(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !UNSAFE_CHARACTER.test(value);
}

function resolve(path: string): { path: string; pathname: string } | null {
  try {
    const url = new URL(path, BASE);
    return url.origin === BASE ? { path: `${url.pathname}${url.search}${url.hash}`, pathname: url.pathname } : null;
  } catch {
    return null;
  }
}
