/** Where a signed-in user lands when no (safe) returnUrl was given. */
export const DEFAULT_RETURN_URL = '/account';

const BASE = 'http://latchkey.invalid';
/** Pages a user is never sent back to after signing in: they would just show the form again. */
const SIGN_IN_PATHS = ['/login', '/register'];

/**
 * A same-origin relative path, or the default: `//evil.example`, `https://evil.example`,
 * `/\evil.example` and `javascript:` never leave the app (an open redirect otherwise).
 */
export function safeReturnUrl(candidate: unknown): string {
  if (typeof candidate !== 'string' || !candidate.startsWith('/') || candidate.startsWith('//')) {
    return DEFAULT_RETURN_URL;
  }
  // URL parsing drops tabs and newlines: `/\t/evil.example` would become `//evil.example`.
  if (candidate.includes('\\') || hasControlCharacter(candidate)) return DEFAULT_RETURN_URL;
  try {
    const url = new URL(candidate, BASE);
    if (url.origin !== BASE || SIGN_IN_PATHS.includes(url.pathname)) return DEFAULT_RETURN_URL;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return DEFAULT_RETURN_URL;
  }
}

function hasControlCharacter(text: string): boolean {
  return Array.from(text).some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}
