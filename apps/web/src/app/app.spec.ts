import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
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

  it('shows the app name', async () => {
    const { el } = await render();
    expect(el.querySelector('.brand')?.textContent?.trim()).toBe('Latchkey');
  });

  it('links to the sign-in page', async () => {
    const { el } = await render();
    const link = Array.from(el.querySelectorAll('a')).find((a) => a.textContent?.trim() === 'Sign in');
    expect(link?.getAttribute('href')).toBe('/login');
  });

  it('announces when the browser goes offline and back online', async () => {
    const { fixture, el } = await render();
    const status = () => el.querySelector('[role="status"]');
    expect(status()?.textContent).toContain('Online');

    window.dispatchEvent(new Event('offline'));
    await fixture.whenStable();
    expect(status()?.textContent).toContain('Offline');
    expect(status()?.classList).toContain('offline');

    window.dispatchEvent(new Event('online'));
    await fixture.whenStable();
    expect(status()?.textContent).toContain('Online');
  });
});
