import { Injector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { confirmSignOutEverywhere } from './sign-out-everywhere-dialog';

describe('confirmSignOutEverywhere', () => {
  const dialog = () => document.querySelector<HTMLElement>('mat-dialog-container');
  const button = (name: string) =>
    Array.from(dialog()?.querySelectorAll('button') ?? []).find((b) => b.textContent?.trim() === name);

  afterEach(() => document.querySelectorAll('.cdk-overlay-container').forEach((el) => el.remove()));

  function open(): Promise<boolean> {
    const answer = firstValueFrom(confirmSignOutEverywhere(TestBed.inject(Injector)));
    TestBed.tick();
    return answer;
  }

  it('is true only once "Sign out everywhere" is pressed', async () => {
    const answer = open();
    button('Sign out everywhere')?.click();
    await expect(answer).resolves.toBe(true);
  });

  it('Cancel says no', async () => {
    const answer = open();
    button('Cancel')?.click();
    await expect(answer).resolves.toBe(false);
  });

  it('Escape says no', async () => {
    const answer = open();
    dialog()?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', keyCode: 27, bubbles: true }));
    await expect(answer).resolves.toBe(false);
  });

  it('a click beside the dialog says no', async () => {
    const answer = open();
    document.querySelector<HTMLElement>('.cdk-overlay-backdrop')?.click();
    await expect(answer).resolves.toBe(false);
  });
});
