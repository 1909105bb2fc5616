import { parseSetCookie, safeDecode } from './set-cookie';

interface StoredCookie {
  name: string;
  /** As it goes on the wire. */
  raw: string;
  path: string;
  /** Epoch ms; undefined: a session cookie. */
  expiresAt: number | undefined;
  created: number;
}

let creation = 0;

/**
 * A browser's cookie jar for one host (RFC 6265 §5.3 storage, §5.4 sending):
 * a cookie is its name and path, a `Path` missing or not starting with `/`
 * gets the request's default path (§5.1.4), `Max-Age` (over `Expires`) ages
 * it, an expired one removes its twin, and the `Cookie` header carries the
 * cookies whose path matches the request, longest path first. Values go back
 * byte for byte as the server set them.
 *
 * Deliberately unlike a browser: it sends `Secure` cookies over plain HTTP,
 * so production mode can be exercised without TLS, and knows no domains.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Applies an answer's `Set-Cookie` lines, for a request to `requestPath`. */
  store(setCookies: readonly string[], requestPath: string): void {
    const now = Date.now();
    for (const line of setCookies) {
      if (!line.includes('=')) continue; // §5.2: no name-value pair, ignored
      const cookie = parseSetCookie(line);
      if (!cookie.name) continue;
      const path = cookie.path?.startsWith('/') ? cookie.path : defaultPath(requestPath);
      const expiresAt =
        cookie.maxAge !== undefined && Number.isFinite(cookie.maxAge)
          ? now + cookie.maxAge * 1000
          : cookie.expires !== undefined && !Number.isNaN(cookie.expires.getTime())
            ? cookie.expires.getTime()
            : undefined;
      const key = keyOf(cookie.name, path);
      if (expiresAt !== undefined && expiresAt <= now) {
        this.cookies.delete(key);
        continue;
      }
      const created = this.cookies.get(key)?.created ?? ++creation;
      this.cookies.set(key, { name: cookie.name, raw: cookie.rawValue, path, expiresAt, created });
    }
  }

  /** The (decoded) value of cookie `name`; of the one with the longest path if several paths hold one. */
  get(name: string): string | undefined {
    const found = this.live().filter((cookie) => cookie.name === name);
    return found.length ? safeDecode(found[0].raw) : undefined;
  }

  /** Puts a cookie in as if the server had set it; the value is percent-encoded on the wire. */
  set(name: string, value: string, path = '/'): void {
    const key = keyOf(name, path);
    this.cookies.set(key, { name, raw: encodeURIComponent(value), path, expiresAt: undefined, created: this.cookies.get(key)?.created ?? ++creation });
  }

  /** Removes cookie `name`, under every path. */
  delete(name: string): void {
    for (const [key, cookie] of this.cookies) if (cookie.name === name) this.cookies.delete(key);
  }

  names(): string[] {
    return [...new Set(this.live().map((cookie) => cookie.name))];
  }

  /** The `Cookie` header a browser would send to `urlPath` (query ignored), or undefined. */
  headerFor(urlPath: string): string | undefined {
    const path = urlPath.split(/[?#]/)[0];
    const pairs = this.live()
      .filter((cookie) => pathMatches(path, cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.raw}`);
    return pairs.length ? pairs.join('; ') : undefined;
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [key, cookie] of this.cookies) copy.cookies.set(key, { ...cookie });
    return copy;
  }

  /** The unexpired cookies, in §5.4's order: longer paths first, then older first. */
  private live(): StoredCookie[] {
    const now = Date.now();
    for (const [key, cookie] of this.cookies) if (cookie.expiresAt !== undefined && cookie.expiresAt <= now) this.cookies.delete(key);
    return [...this.cookies.values()].sort((a, b) => b.path.length - a.path.length || a.created - b.created);
  }
}

const keyOf = (name: string, path: string) => `${name}\u0000${path}`;

/** RFC 6265 §5.1.4 default-path: the request path up to its last `/`, or `/`. */
export function defaultPath(requestPath: string): string {
  const path = requestPath.split(/[?#]/)[0];
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

/** RFC 6265 §5.1.4 path-match. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}
