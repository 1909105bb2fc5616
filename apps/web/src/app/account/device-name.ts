import { getParser } from 'bowser';

/** What a session's User-Agent says about the device, in words a person recognises. */
export interface DeviceDescription {
  /** "Chrome on Android"; the browser or the system alone when only one is known. */
  readonly name: string;
  /** "Chrome"; null when the parser does not know it. */
  readonly browser: string | null;
  /** "Android"; versions are left out: browsers freeze them in the User-Agent. */
  readonly system: string | null;
  /** "iPhone", "Phone", "Tablet", "Computer", "TV", "Bot"; null when unknown. */
  readonly kind: string | null;
}

/** Bowser's names where a shorter one is what people call the browser. */
const BROWSER_NAMES: Record<string, string> = {
  'Samsung Internet for Android': 'Samsung Internet',
};

/** Bowser's platform types (its PLATFORMS_MAP). */
const KINDS: Record<string, string> = {
  mobile: 'Phone',
  tablet: 'Tablet',
  desktop: 'Computer',
  tv: 'TV',
  bot: 'Bot',
};

const UNKNOWN: DeviceDescription = { name: 'Unknown device', browser: null, system: null, kind: null };

/** Parses a User-Agent header with Bowser (browser, system and platform only, never the engine). */
export function describeDevice(userAgent: string | null | undefined): DeviceDescription {
  const header = userAgent?.trim();
  if (!header) return UNKNOWN;
  const parser = getParser(header);
  const browserName = parser.getBrowserName();
  const browser = BROWSER_NAMES[browserName] ?? (browserName || null);
  const system = parser.getOSName() || null;
  const platform = parser.getPlatform();
  // Bowser names a model only where the User-Agent does, as Apple's do ("iPhone", "iPad").
  const kind = platform.model ?? KINDS[platform.type ?? ''] ?? null;
  // Something no parser knows (a script, a new client): its own first words are the best name.
  const name = browser && system ? `${browser} on ${system}` : (browser ?? system ?? header.slice(0, 60));
  return { name, browser, system, kind };
}
