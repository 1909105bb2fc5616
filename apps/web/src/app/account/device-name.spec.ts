import { DeviceDescription, describeDevice } from './device-name';

/** Real User-Agent headers, as the browsers send them today (reduced where Chrome reduces them). */
const USER_AGENTS = {
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  safariIpad:
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  firefoxWindows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67',
  samsungInternet:
    'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  headlessChromeLinux:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/140.0.0.0 Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

describe('describeDevice', () => {
  it.each<[string, string, DeviceDescription]>([
    ['Chrome on Android', USER_AGENTS.chromeAndroid, { name: 'Chrome on Android', browser: 'Chrome', system: 'Android', kind: 'Phone' }],
    ['Safari on an iPhone', USER_AGENTS.safariIphone, { name: 'Safari on iOS', browser: 'Safari', system: 'iOS', kind: 'iPhone' }],
    ['Safari on an iPad', USER_AGENTS.safariIpad, { name: 'Safari on iOS', browser: 'Safari', system: 'iOS', kind: 'iPad' }],
    ['Safari on a Mac', USER_AGENTS.safariMac, { name: 'Safari on macOS', browser: 'Safari', system: 'macOS', kind: 'Computer' }],
    ['Firefox on Windows', USER_AGENTS.firefoxWindows, { name: 'Firefox on Windows', browser: 'Firefox', system: 'Windows', kind: 'Computer' }],
    // Edge says "Chrome" and "Safari" too: only a real parser names it.
    ['Edge', USER_AGENTS.edgeWindows, { name: 'Microsoft Edge on Windows', browser: 'Microsoft Edge', system: 'Windows', kind: 'Computer' }],
    ['Samsung Internet', USER_AGENTS.samsungInternet, { name: 'Samsung Internet on Android', browser: 'Samsung Internet', system: 'Android', kind: 'Phone' }],
    ['headless Chrome', USER_AGENTS.headlessChromeLinux, { name: 'Chrome on Linux', browser: 'Chrome', system: 'Linux', kind: 'Computer' }],
    ['a crawler', USER_AGENTS.googlebot, { name: 'Googlebot', browser: 'Googlebot', system: null, kind: 'Bot' }],
  ])('%s', (_label, userAgent, description) => {
    expect(describeDevice(userAgent)).toEqual(description);
  });

  it('names a client no parser knows by its own words', () => {
    expect(describeDevice('curl/8.4.0')).toEqual({ name: 'curl/8.4.0', browser: null, system: null, kind: null });
    expect(describeDevice('x'.repeat(100)).name).toBe('x'.repeat(60));
  });

  it.each([null, undefined, '', '   '])('a missing User-Agent (%p) is an unknown device', (userAgent) => {
    expect(describeDevice(userAgent)).toEqual({ name: 'Unknown device', browser: null, system: null, kind: null });
  });
});
