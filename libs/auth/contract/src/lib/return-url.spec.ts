import { DEFAULT_RETURN_URL, safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it.each(['/account', '/account?tab=sessions', '/account#top', '/', '/a/b?c=d&e=f#g', '/%2F/evil.example', '/caf%C3%A9'])('keeps the same-origin path %s', (url) => {
    expect(safeReturnUrl(url)).toBe(url);
  });

  it.each([
    ['/a/../account', '/account'],
    ['/./account?tab=sessions', '/account?tab=sessions'],
    ['/café', '/caf%C3%A9'],
    ['/a b', '/a%20b'],
    ['/.%2f/evil.example/..', '/.%2f/'],
  ])('normalises %s to %s', (url, normalised) => {
    expect(safeReturnUrl(url)).toBe(normalised);
  });

  it.each([
    undefined,
    null,
    42,
    ['/account'],
    '',
    'account',
    '//evil.example/account',
    '/\\evil.example',
    '\\/evil.example',
    'https://evil.example/account',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/\u0000/evil.example',
    '/\u007f/evil.example',
    // Dot segments that normalise to a protocol-relative `//evil.example`:
    '/.//evil.example',
    '/..//evil.example',
    '/%2e//evil.example',
    '/%2E%2E//evil.example',
    '/a/..//evil.example',
    '/a/b/../..//evil.example/x?y#z',
    '/a/%2e%2e//evil.example',
    '/./\\evil.example',
  ])('replaces %p with the default', (url) => {
    expect(safeReturnUrl(url)).toBe(DEFAULT_RETURN_URL);
  });

  it.each([
    // URL parsers strip leading spaces and C0 controls: these would read as `//evil.example`.
    ' //evil.example',
    '\t//evil.example',
    '\n//evil.example',
    '\u0000//evil.example',
    '\u001f//evil.example',
    ' /account',
    // Schemes in any letter case, and absolute URLs, even of an innocent-looking host.
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://latchkey.invalid/account',
    'https:evil.example',
    '%2F%2Fevil.example',
    '///evil.example',
    '\\\\evil.example',
    '/%5C\\evil.example',
  ])('replaces %p, which a browser could read as another origin, with the default', (url) => {
    expect(safeReturnUrl(url)).toBe(DEFAULT_RETURN_URL);
  });

  it.each(['/%5Cevil.example', '/%2F%2Fevil.example', '/%09/evil.example'])(
    'keeps %s: encoded, a slash, backslash or tab stays part of a path on this site',
    (url) => {
      expect(safeReturnUrl(url)).toBe(url);
      expect(new URL(url, 'https://app.example').origin).toBe('https://app.example');
    },
  );

  it('defaults to /', () => {
    expect(DEFAULT_RETURN_URL).toBe('/');
  });

  describe('with options, as the sign-in pages use it', () => {
    const options = { fallback: '/account', excludedPaths: ['/login', '/register'] };

    it.each(['/account', '/account?tab=sessions', '/', '/login-help', '/registered'])('keeps %s', (url) => {
      expect(safeReturnUrl(url, options)).toBe(url);
    });

    it.each([undefined, '//evil.example', '/.//evil.example', '/login', '/login?returnUrl=%2Faccount', '/register', '/register#top', '/a/../login'])(
      'replaces %p with the fallback',
      (url) => {
        expect(safeReturnUrl(url, options)).toBe('/account');
      },
    );
  });

  it('answers only values that read back as themselves', () => {
    const samples = ['/a/../b', '/./c?d#e', '/%2e%2e/f', '/g/%2E/h', '/é?x=ü#ö', '/i;j', "/k'l\"m<n>", '/o/./../../p'];
    for (const sample of samples) {
      const once = safeReturnUrl(sample);
      expect(safeReturnUrl(once)).toBe(once);
      expect(once.startsWith('//')).toBe(false);
    }
  });
});
