import { DEFAULT_RETURN_URL, safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it.each(['/account', '/account?tab=sessions', '/account#top', '/'])('keeps the app path %s', (url) => {
    expect(safeReturnUrl(url)).toBe(url);
  });

  it.each([
    undefined,
    '',
    'account',
    '//evil.example/account',
    '/\\evil.example',
    'https://evil.example/account',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/login?returnUrl=%2Faccount',
    '/register',
  ])('replaces %p with the account page', (url) => {
    expect(safeReturnUrl(url)).toBe(DEFAULT_RETURN_URL);
  });
});
