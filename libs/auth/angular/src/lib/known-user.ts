import { Injectable, effect, inject } from '@angular/core';
import { User } from '@latchkey/auth-contract';
import { AuthStore } from './auth.store';
import { AUTH_STORAGE, writeStorage } from './browser-apis';
import { REFRESH_RECORD_KEY } from './tab-sync';

/** Where the profile of whoever is signed in here is kept, for reading offline. */
export const KNOWN_USER_KEY = 'latchkey:user';

/** Set just before the browser leaves for a provider's sign-in page (Google). */
export const REDIRECT_SIGN_IN_KEY = 'latchkey:redirect-sign-in';

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
    writeStorage(() => this.storage?.setItem(KNOWN_USER_KEY, JSON.stringify(user)));
  }

  forget(): void {
    writeStorage(() => {
      this.storage?.removeItem(KNOWN_USER_KEY);
      this.storage?.removeItem(REDIRECT_SIGN_IN_KEY);
    });
  }

  /** The browser is about to come back from a provider's sign-in page, maybe signed in. */
  expectRedirectSignIn(): void {
    writeStorage(() => this.storage?.setItem(REDIRECT_SIGN_IN_KEY, String(Date.now())));
  }

  /**
   * Whether this browser may hold a session: someone signed in here (or a sign-in
   * through a provider's page is under way). False means asking the API can only
   * answer 401, so a first visit costs no request and no red console line. Without
   * readable storage it cannot know, and says true.
   */
  maySignedInHere(): boolean {
    if (!this.storage) return true;
    try {
      return [KNOWN_USER_KEY, REFRESH_RECORD_KEY, REDIRECT_SIGN_IN_KEY].some((key) => this.storage?.getItem(key) != null);
    } catch {
      return true;
    }
  }

  /** The provider sent the browser back: the API has answered whether it signed in. */
  redirectSignInSettled(): void {
    writeStorage(() => this.storage?.removeItem(REDIRECT_SIGN_IN_KEY));
  }

  read(): User | null {
    try {
      const parsed = JSON.parse(this.storage?.getItem(KNOWN_USER_KEY) ?? 'null') as User | null;
      return typeof parsed?.id === 'string' && typeof parsed.email === 'string' ? parsed : null;
    } catch {
      return null;
    }
  }

}
