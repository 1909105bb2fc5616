import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthStore } from '@latchkey/auth-angular';
import { User } from '@latchkey/auth-contract';
import { App } from './app';

describe('App shell', () => {
  beforeEach(async () => {
    await TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([])],
    }).compileComponents();
  });

  afterEach(() => {
    // Leave the shared jsdom window online for the next test.
    window.dispatchEvent(new Event('online'));
  });

  async function render() {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  it('shows the app name and a way to skip to the content', async () => {
    const { el } = await render();
    expect(el.querySelector('.brand')?.textContent?.trim()).toBe('Latchkey');
    expect(el.querySelector('.skip-link')?.getAttribute('href')).toBe('#main');
    expect(el.querySelector('main')?.id).toBe('main');
  });

  it('links to the sign-in page', async () => {
    const { el } = await render();
    const link = Array.from(el.querySelectorAll('a')).find((a) => a.textContent?.trim() === 'Sign in');
    expect(link?.getAttribute('href')).toBe('/login');
  });

  describe('the account link of a signed-in user', () => {
    const NAMELESS: User = {
      id: 'u2',
      email: 'a.very.long.address.1234@example.com',
      emailVerified: true,
      name: null,
      picture: null,
      providers: ['password'],
    };

    async function signedIn(user: User) {
      TestBed.inject(AuthStore).setSession(user, Date.now() + 60_000);
      const { el } = await render();
      return el.querySelector<HTMLAnchorElement>('[data-testid="account-link"]');
    }

    it('names the user', async () => {
      const link = await signedIn({ ...NAMELESS, name: 'Ada Lovelace' });
      expect(link?.textContent?.trim()).toBe('Ada Lovelace');
      expect(link?.getAttribute('href')).toBe('/account');
    });

    it('without a name: the email (cut short by app.css on a phone), whole in the title', async () => {
      const link = await signedIn(NAMELESS);
      expect(link?.textContent?.trim()).toBe(NAMELESS.email);
      expect(link?.title).toBe(NAMELESS.email);
      // jsdom lays nothing out (nor loads app.css): web-e2e measures the header at 320 px.
      expect(link?.classList).toContain('account-link');
    });
  });

  it('shows an offline banner while the network is gone, announced politely', async () => {
    const { fixture, el } = await render();
    const banner = () => el.querySelector('[data-testid="offline-banner"]');
    expect(banner()).toBeNull();

    window.dispatchEvent(new Event('offline'));
    await fixture.whenStable();
    expect(banner()?.textContent).toContain('You are offline');
    expect(banner()?.closest('[role="status"]')).not.toBeNull();

    window.dispatchEvent(new Event('online'));
    await fixture.whenStable();
    expect(banner()).toBeNull();
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Back online.');
  });

  it('shows a progress bar only while a refresh is slow', async () => {
    const { fixture, el } = await render();
    const store = TestBed.inject(AuthStore);
    expect(el.querySelector('[role="progressbar"]')).toBeNull();

    store.setRefreshingSlowly(true);
    await fixture.whenStable();
    const bar = el.querySelector('[role="progressbar"]');
    expect(bar?.getAttribute('aria-label')).toBe('Reconnecting your session');
    expect(bar?.classList).toContain('progress');

    store.setRefreshingSlowly(false);
    await fixture.whenStable();
    expect(el.querySelector('[role="progressbar"]')).toBeNull();
  });
});
