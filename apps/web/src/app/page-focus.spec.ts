import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, RouterOutlet, provideRouter } from '@angular/router';
import { PageFocus } from './page-focus';

@Component({ selector: 'lk-first', template: '<h1>First</h1><input aria-label="field" />' })
class FirstPage {}

@Component({ selector: 'lk-second', template: '<h1>Second</h1>' })
class SecondPage {}

@Component({ selector: 'lk-host', imports: [RouterOutlet], template: '<main><router-outlet /></main>' })
class Host {}

describe('PageFocus', () => {
  async function setUp() {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'first', component: FirstPage },
          { path: 'second', component: SecondPage },
        ]),
      ],
    });
    const fixture = TestBed.createComponent(Host);
    document.body.append(fixture.nativeElement);
    TestBed.inject(PageFocus).start();
    const router = TestBed.inject(Router);
    const go = async (url: string) => {
      await router.navigateByUrl(url);
      await fixture.whenStable();
    };
    return { el: fixture.nativeElement as HTMLElement, go };
  }

  it('leaves the first page load alone, then focuses the heading of each new page', async () => {
    const { el, go } = await setUp();
    await go('/first');
    expect(document.activeElement).toBe(document.body);

    await go('/second');
    const heading = el.querySelector('h1');
    expect(heading?.textContent).toBe('Second');
    expect(heading?.getAttribute('tabindex')).toBe('-1');
    expect(document.activeElement).toBe(heading);
  });
});
