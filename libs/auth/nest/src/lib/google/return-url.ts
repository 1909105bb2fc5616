/** Where to land after signing in when nothing (valid) was asked for. */
export const DEFAULT_RETURN_URL = '/';
const BASE = 'http://latchkey.invalid';

/**
 * A same-origin relative path, or the default: `//evil.example`,
 * `https://evil.example` and `/\evil.example` never leave the site.
 */
export function safeReturnUrl(candidate: unknown): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\')) {
    return DEFAULT_RETURN_URL;
  }
  try {
    const url = new URL(candidate, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : DEFAULT_RETURN_URL;
  } catch {
    return DEFAULT_RETURN_URL;
  }
}
