import { DestroyRef, Injectable, inject } from '@angular/core';
import { User } from '@latchkey/auth-contract';
import { AUTH_CHANNEL, AUTH_STORAGE, writeStorage } from './browser-apis';
import { AuthStore } from './auth.store';
import { LoginRedirect } from './login-redirect';

/** localStorage key of the last refresh any tab made: an expiry and a time, never a token. */
export const REFRESH_RECORD_KEY = 'latchkey:auth:last-refresh';

export interface RefreshRecord {
  /** Expiry (epoch ms) of the access token that refresh produced. */
  expiresAt: number;
  /** When it was produced (epoch ms). */
  at: number;
}

export type TabMessage =
  | { type: 'session'; user: User; expiresAt: number; at: number }
  | { type: 'user'; user: User }
  | { type: 'signed-out' };

/** Keeps the tabs of one browser in step: new sessions, changed user details and sign-outs. */
@Injectable({ providedIn: 'root' })
export class TabSync {
  private readonly channel = inject(AUTH_CHANNEL);
  private readonly storage = inject(AUTH_STORAGE);
  private readonly store = inject(AuthStore);
  private readonly redirect = inject(LoginRedirect);
  /** Latest record heard of, for browsers where localStorage is unavailable. */
  private heard: RefreshRecord | null = null;

  constructor() {
    const channel = this.channel;
    if (!channel) return;
    const listener = (event: MessageEvent) => this.receive(event.data);
    channel.addEventListener('message', listener);
    inject(DestroyRef).onDestroy(() => {
      channel.removeEventListener('message', listener);
      channel.close();
    });
  }

  /** The newest refresh made by any tab, if known. */
  latestRefresh(): RefreshRecord | null {
    const stored = this.readStored();
    if (!stored) return this.heard;
    if (!this.heard) return stored;
    return stored.at >= this.heard.at ? stored : this.heard;
  }

  /** This tab signed in or refreshed: tell the others. */
  publishSession(user: User, expiresAt: number): void {
    const record: RefreshRecord = { expiresAt, at: Date.now() };
    this.heard = record;
    writeStorage(() => this.storage?.setItem(REFRESH_RECORD_KEY, JSON.stringify(record)));
    this.post({ type: 'session', user, ...record });
  }

  /** The user's details changed in this tab (same session): the other tabs show them too. */
  publishUser(user: User): void {
    this.post({ type: 'user', user });
  }

  /** This tab signed out: every other tab signs out too. */
  publishSignOut(): void {
    this.heard = null;
    writeStorage(() => this.storage?.removeItem(REFRESH_RECORD_KEY));
    this.post({ type: 'signed-out' });
  }

  private receive(message: unknown): void {
    if (!isTabMessage(message)) return;
    if (message.type === 'session') {
      this.heard = { expiresAt: message.expiresAt, at: message.at };
      this.store.setSession(message.user, message.expiresAt);
      return;
    }
    if (message.type === 'user') {
      this.store.updateUser(message.user);
      return;
    }
    this.heard = null;
    this.store.markAnonymous('other-tab');
    this.redirect.navigateToLogin({ withReturnUrl: false });
  }

  private readStored(): RefreshRecord | null {
    try {
      const raw = this.storage?.getItem(REFRESH_RECORD_KEY);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      return isRefreshRecord(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }


  private post(message: TabMessage): void {
    this.channel?.postMessage(message);
  }
}

function isRefreshRecord(value: unknown): value is RefreshRecord {
  const record = value as RefreshRecord | null;
  return typeof record?.expiresAt === 'number' && typeof record?.at === 'number';
}

function isTabMessage(value: unknown): value is TabMessage {
  const message = value as TabMessage | null;
  if (message?.type === 'signed-out') return true;
  if (message?.type === 'user') return typeof message.user?.id === 'string';
  return message?.type === 'session' && isRefreshRecord(message) && typeof message.user?.id === 'string';
}
