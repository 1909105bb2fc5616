import type { Response } from 'supertest';

/** One `Set-Cookie` header, attributes parsed (names compared case-insensitively). */
export interface SetCookie {
  readonly name: string;
  readonly value: string;
  readonly path: string | undefined;
  readonly maxAge: number | undefined;
  readonly sameSite: string | undefined;
  readonly domain: string | undefined;
  readonly httpOnly: boolean;
  readonly secure: boolean;
  readonly raw: string;
}

export function parseSetCookie(raw: string): SetCookie {
  const [pair, ...parts] = raw.split(';').map((part) => part.trim());
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string>();
  for (const part of parts) {
    const at = part.indexOf('=');
    attributes.set((at < 0 ? part : part.slice(0, at)).toLowerCase(), at < 0 ? '' : part.slice(at + 1));
  }
  const maxAge = attributes.get('max-age');
  return {
    name: pair.slice(0, eq),
    value: decodeURIComponent(pair.slice(eq + 1)),
    path: attributes.get('path'),
    maxAge: maxAge === undefined ? undefined : Number(maxAge),
    sameSite: attributes.get('samesite'),
    domain: attributes.get('domain'),
    httpOnly: attributes.has('httponly'),
    secure: attributes.has('secure'),
    raw,
  };
}

/** Every cookie a response sets. */
export function setCookiesOf(res: Response): SetCookie[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return list.map(parseSetCookie);
}

/** The cookie `name` a response sets; fails the test when it sets none or several. */
export function setCookieOf(res: Response, name: string): SetCookie {
  const found = setCookiesOf(res).filter((cookie) => cookie.name === name);
  if (found.length !== 1) throw new Error(`expected one Set-Cookie ${name}, got ${found.length}: ${JSON.stringify(res.headers['set-cookie'] ?? [])}`);
  return found[0];
}
