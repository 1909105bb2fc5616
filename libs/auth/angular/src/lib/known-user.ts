import { Injectable, effect, inject } from '@angular/core';
import { User } from '@latchkey/auth-contract';
import { AuthStore } from './auth.store';
import { AUTH_STORAGE } from './browser-apis';

/** Where the profile of whoever is signed in here is kept, for reading offline. */
export const KNOWN_USER_KEY = 'latchkey:user';

/**
 * The last signed-in user's profile (never a token), so that pages readable before stay
 * readable after a reload offline. It follows the store: whoever the API confirms is
 * remembered, and a sign-out, an ended session or another tab's sign-out forgets them.
 */
@Injectable({ providedIn: 'root' })
export class KnownUser {
  private readonly storage = inject(AUTH_STORAGE);

  constructor() {
    const store = inject(AuthStore);
    effect(() => {
      const user = store.user();
      if (store.status() === 'anonymous') this.forget();
      else if (user && !store.isStale()) this.remember(user);
    });
  }

  remember(user: User): void {
    this.write(() => this.storage?.setItem(KNOWN_USER_KEY, JSON.stringify(user)));
  }

  forget(): void {
    this.write(() => this.storage?.removeItem(KNOWN_USER_KEY));
  }

  read(): User | null {
    try {
      const parsed = JSON.parse(this.storage?.getItem(KNOWN_USER_KEY) ?? 'null') as User | null;
      return typeof parsed?.id === 'string' && typeof parsed.email === 'string' ? parsed : null;
    } catch {
      return null;
    }
  }

  private write(operation: () => void): void {
    try {
      operation();
    } catch {
      // Storage full or disabled: offline reading is lost, nothing else.
    }
  }
}
