import { ApplicationRef, EnvironmentProviders, PendingTasks, inject, provideAppInitializer } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideServiceWorkerRegistration } from './service-worker-registration';

describe('provideServiceWorkerRegistration', () => {
  let register: jest.Mock;
  let serviceWorker: EventTarget & { register: jest.Mock; controller: { postMessage: jest.Mock } | null };

  beforeEach(() => {
    register = jest.fn().mockResolvedValue({});
    serviceWorker = Object.assign(new EventTarget(), { register, controller: null });
    Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: serviceWorker });
  });
  afterEach(() => {
    jest.useRealTimers();
    delete (navigator as { serviceWorker?: unknown }).serviceWorker;
  });

  const setUp = (enabled: boolean, maxDelayMs = 30_000, before: EnvironmentProviders[] = []) => {
    TestBed.configureTestingModule({ providers: [...before, provideServiceWorkerRegistration('ngsw-worker.js', { enabled, maxDelayMs })] });
    return TestBed.inject(ApplicationRef);
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve));

  it('registers the worker once the app is stable', async () => {
    const appRef = setUp(true);
    await appRef.whenStable();
    await settle();
    expect(register).toHaveBeenCalledTimes(1);
    expect(register).toHaveBeenCalledWith('ngsw-worker.js');
  });

  it('registers after the longest delay when the app never becomes stable', async () => {
    jest.useFakeTimers();
    let done: () => void = () => undefined;
    // Work that never ends (a stuck request, a polling timer): the app is never stable.
    setUp(true, 30_000, [provideAppInitializer(() => void (done = inject(PendingTasks).add()))]);
    await jest.advanceTimersByTimeAsync(29_000);
    expect(register).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(register).toHaveBeenCalledTimes(1);
    done();
  });

  it('tells a worker that takes over to set itself up', async () => {
    setUp(true);
    const postMessage = jest.fn();
    serviceWorker.controller = { postMessage };
    serviceWorker.dispatchEvent(new Event('controllerchange'));
    expect(postMessage).toHaveBeenCalledWith({ action: 'INITIALIZE' });
  });

  it('registers nothing when disabled (development builds)', async () => {
    const appRef = setUp(false);
    await appRef.whenStable();
    await settle();
    expect(register).not.toHaveBeenCalled();
  });
});
