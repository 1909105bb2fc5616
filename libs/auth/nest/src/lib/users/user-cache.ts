import type { AuthUser } from './user-store';

/** Short: a name changed on another instance shows within seconds. */
const TTL_MS = 5000;
const MAX_ENTRIES = 10_000;

/**
 * Users by id for a few seconds, so `/auth/me` and refreshes do not read the
 * same row on every request. Writes on this instance drop the entry at once.
 */
export class UserCache {
  private readonly entries = new Map<string, { user: AuthUser; until: number }>();

  get(id: string): AuthUser | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.until > Date.now()) return entry.user;
    this.entries.delete(id);
    return undefined;
  }

  set(user: AuthUser): void {
    // Oldest first: a Map iterates in insertion order.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(user.id, { user, until: Date.now() + TTL_MS });
  }

  forget(id: string): void {
    this.entries.delete(id);
  }
}
