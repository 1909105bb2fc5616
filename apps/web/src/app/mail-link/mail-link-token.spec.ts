import { Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { MailLinkToken, mailLinkTokenGuard } from './mail-link-token';

/** What happened, in order: the address bar changes and the page's creation. */
const events: string[] = [];

@Component({ selector: 'lk-linked', template: '<h1>Linked</h1>' })
class LinkedPage {
  readonly token = inject(MailLinkToken).take('/reset-password');
  constructor() {
    events.push(`page created with ${this.token}`);
  }
}

describe('mailLinkTokenGuard', () => {
  let replaceState: jest.SpyInstance;

  beforeEach(() => {
    events.length = 0;
    TestBed.configureTestingModule({
      providers: [provideRouter([{ path: 'reset-password', canActivate: [mailLinkTokenGuard], component: LinkedPage }])],
    });
    replaceState = jest.spyOn(window.history, 'replaceState').mockImplementation((_state, _title, url) => {
      events.push(`address bar: ${url}`);
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('takes the token off the address bar before the page is created, and hands it to the page once', async () => {
    const harness = await RouterTestingHarness.create();
    const page = await harness.navigateByUrl('/reset-password?x=1#token=abc%2Bdef', LinkedPage);
    expect(events[0]).toBe('address bar: /reset-password?x=1');
    expect(events).toContain('page created with abc+def');
    expect(events.indexOf('address bar: /reset-password?x=1')).toBeLessThan(events.indexOf('page created with abc+def'));
    expect(page.token).toBe('abc+def');
    expect(TestBed.inject(Router).url).toBe('/reset-password?x=1');
    expect(TestBed.inject(MailLinkToken).take('/reset-password')).toBeNull();
  });

  it('lets a visit without a fragment through, leaving the address bar alone', async () => {
    const harness = await RouterTestingHarness.create();
    const page = await harness.navigateByUrl('/reset-password', LinkedPage);
    expect(page.token).toBeNull();
    expect(replaceState.mock.calls.filter(([, , url]) => String(url).includes('#'))).toEqual([]);
    expect(events.filter((e) => e.startsWith('address bar: /reset-password#'))).toEqual([]);
  });

  it('drops a fragment without a token', async () => {
    const harness = await RouterTestingHarness.create();
    const page = await harness.navigateByUrl('/reset-password#other=1', LinkedPage);
    expect(events[0]).toBe('address bar: /reset-password');
    expect(page.token).toBeNull();
    expect(TestBed.inject(Router).url).toBe('/reset-password');
  });
});
