import type { Response } from 'supertest';
import { setCookiesOf } from './set-cookie';

interface StoredCookie {
  value: string;
  path: string;
}

/**
 * A browser's cookie jar, as far as these tests need one: honours `Path`
 * and `Max-Age=0`. It sends `Secure` cookies over plain HTTP so production
 * mode can be exercised without TLS.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  /** Applies a response's `Set-Cookie` headers. */
  store(res: Response): void {
    for (const cookie of setCookiesOf(res)) {
      if (cookie.maxAge !== undefined && cookie.maxAge <= 0) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, { value: cookie.value, path: cookie.path ?? '/' });
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  set(name: string, value: string, path = '/'): void {
    this.cookies.set(name, { value, path });
  }

  delete(name: string): void {
    this.cookies.delete(name);
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }

  /** The `Cookie` header a browser would send to `urlPath`, or undefined. */
  headerFor(urlPath: string): string | undefined {
    const pairs = [...this.cookies]
      .filter(([, cookie]) => pathMatches(urlPath, cookie.path))
      .map(([name, cookie]) => `${name}=${encodeURIComponent(cookie.value)}`);
    return pairs.length ? pairs.join('; ') : undefined;
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, cookie] of this.cookies) copy.set(name, cookie.value, cookie.path);
    return copy;
  }
}

/** RFC 6265 §5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  const path = requestPath.split('?')[0];
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}
