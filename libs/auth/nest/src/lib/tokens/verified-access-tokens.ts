import type { AuthenticatedCaller } from './authenticated-caller';

/** Enough for every access token live on one instance at once in most apps; each entry is a few hundred bytes. */
const MAX_ENTRIES = 10_000;

/**
 * Access tokens this process has verified, by their exact text. A browser
 * presents the same token on every request for its 15 minutes, and its
 * signature can only ever check out the same way, so checking it again
 * would only repeat the HMAC and the JSON decoding. Expiry is judged on
 * every hit; revocation is never cached here (the caller checks it).
 */
export class VerifiedAccessTokens {
  private readonly entries = new Map<string, AuthenticatedCaller>();

  /** The caller of a token verified before and not expired at `nowMs`. */
  get(token: string, nowMs: number): AuthenticatedCaller | undefined {
    const caller = this.entries.get(token);
    if (!caller) return undefined;
    // As jsonwebtoken judges `exp` (whole seconds): valid while now < exp.
    if (nowMs < caller.accessTokenExpiresAt.getTime()) return caller;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, caller: AuthenticatedCaller): void {
    // Oldest first: a Map iterates in insertion order.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, caller);
  }
}
