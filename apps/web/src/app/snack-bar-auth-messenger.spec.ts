import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { SnackBarAuthMessenger } from './snack-bar-auth-messenger';

describe('SnackBarAuthMessenger', () => {
  it('opens the message in a snack bar that screen readers announce', async () => {
    const open = jest.fn();
    TestBed.configureTestingModule({ providers: [{ provide: MatSnackBar, useValue: { open } }] });
    await TestBed.inject(SnackBarAuthMessenger).show('Lost connection. Please refresh or log in again.');
    expect(open).toHaveBeenCalledWith(
      'Lost connection. Please refresh or log in again.',
      'Dismiss',
      expect.objectContaining({ politeness: 'assertive' }),
    );
  });
});
