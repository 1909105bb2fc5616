import { preloadFirstPage } from './app.routes';

describe('preloadFirstPage', () => {
  it('starts loading the chunk of an open page the browser opened', () => {
    expect(preloadFirstPage('/login')).toBe(true);
    expect(preloadFirstPage('/')).toBe(true);
    expect(preloadFirstPage('/register')).toBe(true);
  });

  it('leaves guarded pages (the account, mail links) and unknown addresses to the router', () => {
    expect(preloadFirstPage('/account')).toBe(false);
    expect(preloadFirstPage('/verify-email')).toBe(false);
    expect(preloadFirstPage('/reset-password')).toBe(false);
    expect(preloadFirstPage('/no-such-page')).toBe(false);
  });
});
