import type { AuthProvider, User } from '@latchkey/auth-contract';

/** A user as the auth module sees it; `passwordHash` only where asked for. */
export type AuthUser = User;

export interface NewPasswordUser {
  email: string;
  name: string | null;
  passwordHash: string;
}

export interface ExternalProfile {
  provider: Exclude<AuthProvider, 'password'>;
  subject: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  picture: string | null;
}

/**
 * Where users live. The default keeps them in the `users` table through
 * TypeORM; a host app can bind its own implementation to `USER_STORE`
 * (sessions reference `users.id`, so its ids must exist there).
 */
export interface UserStore {
  findById(id: string): Promise<AuthUser | null>;
  /** The user and password hash for a (normalised) email, or null. */
  findPasswordCredentials(email: string): Promise<{ user: AuthUser; passwordHash: string | null } | null>;
  /** Throws {@link EmailTakenError} when the email is already registered. */
  createWithPassword(user: NewPasswordUser): Promise<AuthUser>;
  /** The user who signed in with this outside identity before, or null. */
  findByIdentity(provider: ExternalProfile['provider'], subject: string): Promise<AuthUser | null>;
  /** Remembers that `profile` signs in as `userId`. */
  linkIdentity(userId: string, profile: ExternalProfile): Promise<AuthUser>;
  /** A new user from an outside profile; {@link EmailTakenError} if the email exists. */
  createWithIdentity(profile: ExternalProfile): Promise<AuthUser>;
}

export class EmailTakenError extends Error {
  constructor() {
    super('email taken');
  }
}

/**
 * The one form an email is stored and looked up in: Unicode NFKC, then lower
 * case, so look-alike spellings (`ａｄａ@example.com`, `ADA@example.com`) are
 * the same account.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').toLowerCase().trim();
}

/** Control characters; bidi embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069); zero-width characters. */
const UNWANTED_IN_NAMES = /[\p{Cc}\u202A-\u202E\u2066-\u2069\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * A display name as stored: without characters that are invisible or make it
 * read as something else (`\u202Eevil` shows reversed), trimmed; null when
 * nothing is left. For names from every source: a form, a Google profile.
 */
export function cleanName(name: string | null | undefined): string | null {
  if (typeof name !== 'string') return null;
  const cleaned = name.replace(UNWANTED_IN_NAMES, '').trim();
  return cleaned === '' ? null : cleaned;
}
