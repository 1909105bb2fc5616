import { Injectable, Injector, inject } from '@angular/core';
import { AuthMessenger } from '@latchkey/auth-angular';

/** Auth messages in a Material snack bar, loaded on first use to keep the shell small. */
@Injectable({ providedIn: 'root' })
export class SnackBarAuthMessenger implements AuthMessenger {
  private readonly injector = inject(Injector);

  async show(message: string): Promise<void> {
    const { MatSnackBar } = await import('@angular/material/snack-bar');
    this.injector.get(MatSnackBar).open(message, 'Dismiss', { duration: 8000, politeness: 'assertive' });
  }
}
