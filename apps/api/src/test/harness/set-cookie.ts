/** One `Set-Cookie` header, attributes parsed (names compared case-insensitively). */
export interface SetCookie {
  readonly name: string;
  /** Percent-decoded. */
  readonly value: string;
  /** As sent, for the jar to send back unchanged. */
  readonly rawValue: string;
  readonly path: string | undefined;
  readonly maxAge: number | undefined;
  readonly expires: Date | undefined;
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
    attributes.set((at < 0 ? part : part.slice(0, at)).trim().toLowerCase(), at < 0 ? '' : part.slice(at + 1).trim());
  }
  const maxAge = attributes.get('max-age');
  const expires = attributes.get('expires');
  const rawValue = eq < 0 ? '' : pair.slice(eq + 1).trim();
  return {
    name: (eq < 0 ? pair : pair.slice(0, eq)).trim(),
    value: safeDecode(rawValue),
    rawValue,
    path: attributes.get('path'),
    maxAge: maxAge === undefined ? undefined : Number(maxAge),
    expires: expires === undefined ? undefined : new Date(expires),
    sameSite: attributes.get('samesite'),
    domain: attributes.get('domain'),
    httpOnly: attributes.has('httponly'),
    secure: attributes.has('secure'),
    raw,
  };
}

export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Every cookie an answer sets. */
export function setCookiesOf(res: { headers: Record<string, unknown> }): SetCookie[] {
  const header = res.headers['set-cookie'] as string[] | string | undefined;
  const list = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return list.map(parseSetCookie);
}

/** The cookie `name` an answer sets; fails the test when it sets none or several. */
export function setCookieOf(res: { headers: Record<string, unknown> }, name: string): SetCookie {
  const found = setCookiesOf(res).filter((cookie) => cookie.name === name);
  if (found.length !== 1) throw new Error(`expected one Set-Cookie ${name}, got ${found.length}: ${JSON.stringify(res.headers['set-cookie'] ?? [])}`);
  return found[0];
}
