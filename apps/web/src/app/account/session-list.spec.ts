import { SessionInfo } from '@latchkey/auth-contract';
import { API, renderPage } from '../testing/page-test-bed';
import { SessionList } from './session-list';

const SESSIONS_URL = `${API}/auth/sessions`;
const MINUTE = 60_000;

const CHROME_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function session(id: string, changes: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id,
    current: false,
    userAgent: CHROME_LINUX,
    ipAddress: null,
    createdAt: '2030-01-01T09:00:00Z',
    lastUsedAt: ago(0),
    expiresAt: '2030-04-01T09:00:00Z',
    ...changes,
  };
}

describe('SessionList', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  async function render(sessions: SessionInfo[] | null) {
    const page = await renderPage(SessionList, { sessions });
    return { ...page, rows: () => Array.from(page.el.querySelectorAll<HTMLElement>('[data-testid="session"]')) };
  }

  const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

  it('lists this device first, then the most recently used', async () => {
    const page = await render([
      session('old', { userAgent: FIREFOX_WINDOWS, lastUsedAt: ago(3 * 60 * MINUTE) }),
      session('here', { current: true, lastUsedAt: ago(20 * MINUTE) }),
      session('phone', { userAgent: CHROME_ANDROID, lastUsedAt: ago(5 * MINUTE) }),
    ]);
    expect(page.rows().map((row) => text(row.querySelector('.device')))).toEqual([
      'Chrome on Linux This device',
      'Chrome on Android',
      'Firefox on Windows',
    ]);
  });

  it('shows what the device is, its address, and when it was last active in words, the exact time on hover', async () => {
    const lastUsedAt = ago(5 * MINUTE + 10_000);
    const page = await render([session('phone', { userAgent: CHROME_ANDROID, ipAddress: '203.0.113.7', lastUsedAt })]);
    const [row] = page.rows();
    expect(text(row.querySelector('.device'))).toBe('Chrome on Android');
    expect(text(row.querySelector('[data-testid="session-where"]'))).toBe('Phone · 203.0.113.7');
    expect(text(row)).toContain('Last active 5 minutes ago');
    const time = row.querySelector('[data-testid="last-active"]');
    expect(time?.tagName).toBe('TIME');
    expect(time?.getAttribute('datetime')).toBe(lastUsedAt);
    // To the second, with the zone: whatever the reader's locale, it carries the exact instant.
    const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' }).format(new Date(lastUsedAt));
    expect(time?.getAttribute('title')).toBe(exact);
    const signedIn = Array.from(row.querySelectorAll('time')).find((t) => t.getAttribute('datetime') === '2030-01-01T09:00:00Z');
    expect(signedIn?.getAttribute('title')).toBeTruthy();
    expect(text(row)).toContain('Signed in');
  });

  it('under a minute ago is "just now"', async () => {
    const page = await render([session('a', { lastUsedAt: ago(10_000) })]);
    expect(text(page.rows()[0])).toContain('Last active just now');
  });

  it('shows no address when the API has none', async () => {
    const page = await render([session('a', { ipAddress: null })]);
    expect(text(page.rows()[0].querySelector('[data-testid="session-where"]'))).toBe('Computer');
  });

  it('two sessions of the same browser read differently (address, when), and so do their buttons', async () => {
    const page = await render([
      session('home', { ipAddress: '203.0.113.7', lastUsedAt: ago(2 * MINUTE) }),
      session('work', { ipAddress: '198.51.100.20', lastUsedAt: ago(3 * 24 * 60 * MINUTE) }),
    ]);
    const [home, work] = page.rows();
    expect(text(home.querySelector('.device'))).toBe(text(work.querySelector('.device')));
    expect(text(home)).not.toBe(text(work));
    expect(text(home)).toContain('Last active 2 minutes ago');
    expect(text(work)).toContain('Last active 3 days ago');

    // What a screen reader hears on each button: the device, where it is and when.
    const description = (row: HTMLElement) =>
      (row.querySelector('button')?.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => text(page.el.querySelector(`#${id}`)))
        .join(' ');
    expect(description(home)).toContain('203.0.113.7');
    expect(description(home)).toContain('2 minutes ago');
    expect(description(work)).toContain('198.51.100.20');
    expect(description(home)).not.toBe(description(work));
  });

  it('the current row has no sign-out button (the page’s "Sign out" ends this session); it is active now', async () => {
    const page = await render([session('here', { current: true }), session('other', { userAgent: FIREFOX_WINDOWS })]);
    const [here, other] = page.rows();
    expect(here.querySelector('button')).toBeNull();
    expect(text(here)).toContain('Active now');
    expect(here.querySelector('[data-testid="last-active"]')).toBeNull();
    expect(text(other.querySelector('button'))).toBe('Sign out this session');
    expect(page.el.querySelectorAll('button')).toHaveLength(1);
  });

  it('signs another session out: gone from the list, a snack bar names it, the keyboard stays in the section', async () => {
    const page = await render([
      session('here', { current: true }),
      session('old', { userAgent: FIREFOX_WINDOWS, ipAddress: '198.51.100.20' }),
    ]);
    page.rows()[1].querySelector('button')?.click();
    await page.stable();
    expect(text(page.rows()[1].querySelector('button'))).toBe('Signing out…');
    const request = page.httpMock.expectOne(`${SESSIONS_URL}/old`);
    expect(request.request.method).toBe('DELETE');
    request.flush(null, { status: 204, statusText: 'No Content' });
    await page.stable();

    expect(page.rows()).toHaveLength(1);
    expect(page.messages).toEqual(['Signed out the session on Firefox on Windows (198.51.100.20).']);
    expect(document.activeElement?.id).toBe('sessions-title');
    expect(page.fixture.componentInstance['sessions']()?.map((s) => s.id)).toEqual(['here']);
  });

  it('a session that had already ended leaves the list too, and says so', async () => {
    const page = await render([session('gone', { userAgent: FIREFOX_WINDOWS })]);
    page.rows()[0].querySelector('button')?.click();
    page.httpMock
      .expectOne(`${SESSIONS_URL}/gone`)
      .flush({ statusCode: 404, message: 'Session not found', error: 'Not Found' }, { status: 404, statusText: 'Not Found' });
    await page.stable();
    expect(page.rows()).toHaveLength(0);
    expect(page.messages).toEqual(['That session had already ended.']);
  });

  it('a failed sign-out keeps the row and says why; offline, that the connection is gone', async () => {
    const page = await render([session('a', { userAgent: FIREFOX_WINDOWS })]);
    page.rows()[0].querySelector('button')?.click();
    page.httpMock.expectOne(`${SESSIONS_URL}/a`).flush(null, { status: 504, statusText: 'Gateway Timeout' });
    await page.stable();
    expect(page.rows()).toHaveLength(1);
    expect(text(page.el.querySelector('[role="alert"]'))).toBe("Can't reach Latchkey. Check your connection and try again.");
    expect(page.messages).toEqual([]);

    page.rows()[0].querySelector('button')?.click();
    page.httpMock
      .expectOne(`${SESSIONS_URL}/a`)
      .flush({ statusCode: 500, message: 'x', error: 'x' }, { status: 500, statusText: 'Internal Server Error' });
    await page.stable();
    expect(text(page.el.querySelector('[role="alert"]'))).toBe('Something went wrong on our side. Please try again in a moment.');
  });

  it('while the page is busy, the buttons do nothing', async () => {
    const page = await renderPage(SessionList, { sessions: [session('a')], disabled: true });
    const button = page.el.querySelector('button');
    expect(button?.getAttribute('aria-disabled')).toBe('true');
    button?.click();
    page.httpMock.expectNone(`${SESSIONS_URL}/a`);
  });

  it('says when the sessions cannot be shown (offline)', async () => {
    const page = await render(null);
    expect(page.el.querySelector('ul')).toBeNull();
    expect(text(page.el.querySelector('[data-testid="sessions-unavailable"]'))).toContain(
      "Your sessions can't be shown right now",
    );
  });

  it('keeps "last active" true while the page stays open', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const page = await render([session('a', { lastUsedAt: ago(5 * MINUTE) })]);
    expect(text(page.rows()[0])).toContain('Last active 5 minutes ago');
    jest.advanceTimersByTime(10 * MINUTE);
    await page.stable();
    expect(text(page.rows()[0])).toContain('Last active 15 minutes ago');
  });
});
