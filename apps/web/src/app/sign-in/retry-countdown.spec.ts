import { TestBed } from '@angular/core/testing';
import { injectRetryCountdown, waitInWords } from './retry-countdown';

describe('waitInWords', () => {
  it.each([
    [900, '15 minutes'],
    [899, '15 minutes'],
    [841, '15 minutes'],
    [840, '14 minutes'],
    [61, '2 minutes'],
    [60, '1 minute'],
    [59, '59 seconds'],
    [40, '40 seconds'],
    [2, '2 seconds'],
    [1, '1 second'],
  ])('%i s → %s', (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
  });
});

describe('injectRetryCountdown', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  const create = () => TestBed.runInInjectionContext(() => injectRetryCountdown());

  it('counts whole seconds down to the deadline, then stops', () => {
    const countdown = create();
    expect(countdown.isWaiting()).toBe(false);
    countdown.start(3);
    expect(countdown.secondsLeft()).toBe(3);
    expect(countdown.isWaiting()).toBe(true);
    jest.advanceTimersByTime(1000);
    expect(countdown.secondsLeft()).toBe(2);
    jest.advanceTimersByTime(1999);
    expect(countdown.secondsLeft()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(countdown.secondsLeft()).toBe(0);
    expect(countdown.isWaiting()).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is right again after the browser held its timer back (a background tab)', () => {
    const countdown = create();
    countdown.start(120);
    // The clock moved on 100 s while no timer ran.
    jest.setSystemTime(Date.now() + 100_000);
    jest.advanceTimersByTime(1000);
    expect(countdown.secondsLeft()).toBe(19);
  });

  it('restarts on a new wait', () => {
    const countdown = create();
    countdown.start(10);
    countdown.start(2);
    expect(countdown.secondsLeft()).toBe(2);
    expect(jest.getTimerCount()).toBe(1);
    countdown.stop();
    expect(countdown.secondsLeft()).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops when its injector is destroyed (the page is left)', () => {
    const countdown = create();
    countdown.start(5);
    TestBed.resetTestingModule();
    expect(jest.getTimerCount()).toBe(0);
    expect(countdown.isWaiting()).toBe(false);
  });
});
