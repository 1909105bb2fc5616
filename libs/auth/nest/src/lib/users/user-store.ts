import type { AuthProvider, User } from '@latchkey/auth-contract';
import type { EntityManager } from 'typeorm';

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
 * The transaction a store write joins, so that a change and the mail it
 * causes (the outbox row) commit together or not at all. The default store
 * always joins it; a store whose users live in another database may ignore
 * it, and then a crash between the two can lose the mail or send it for a
 * change that never happened. A store on the same database must run every
 * query of the call through `tx`: the embedded PGlite has one connection,
 * which the transaction holds, so a query beside it would wait forever.
 */
export type UserStoreTransaction = EntityManager;

/** What {@link UserStore.update} changes; a field left out stays as it is. */
export interface UserChanges {
  /** As stored: run it through {@link cleanName} first. */
  name?: string | null;
  /** Normalised ({@link normaliseEmail}); {@link EmailTakenError} when another account has it. */
  email?: string;
  /** true: the address is proven as of now (an earlier proof is kept); false: it is not. */
  emailVerified?: boolean;
  /** An argon2id hash; null removes the password (the account then signs in with Google only). */
  passwordHash?: string | null;
}

/**
 * Where users live. The default keeps them in the `users` table through
 * TypeORM; a host app can bind its own implementation to `USER_STORE`
 * (sessions reference `users.id`, so its ids must exist there). Sessions,
 * refresh tokens and mailed account tokens stay in Latchkey's own tables.
 *
 * @example AuthModule.forRoot(config, { userStore: MyUserStore })
 */
export interface UserStore {
  findById(id: string): Promise<AuthUser | null>;
  /** The user and password hash for a (normalised) email, or null. */
  findPasswordCredentials(email: string): Promise<{ user: AuthUser; passwordHash: string | null } | null>;
  /** The password hash of a user; null when they have none or do not exist. */
  passwordHashOf(id: string): Promise<string | null>;
  /** Throws {@link EmailTakenError} when the email is already registered. Starts unverified. */
  createWithPassword(user: NewPasswordUser, tx?: UserStoreTransaction): Promise<AuthUser>;
  /** The user who signed in with this outside identity before, or null. */
  findByIdentity(provider: ExternalProfile['provider'], subject: string): Promise<AuthUser | null>;
  /** Remembers that `profile` signs in as `userId`. */
  linkIdentity(userId: string, profile: ExternalProfile, tx?: UserStoreTransaction): Promise<AuthUser>;
  /** A new user from an outside profile, verified as the provider says; {@link EmailTakenError} if the email exists. */
  createWithIdentity(profile: ExternalProfile): Promise<AuthUser>;
  /** Applies `changes`: the user as it is now, or null when there is no such user. */
  update(id: string, changes: UserChanges, tx?: UserStoreTransaction): Promise<AuthUser | null>;
  /** Deletes the user and their outside identities; false when there was no such user. */
  delete(id: string, tx?: UserStoreTransaction): Promise<boolean>;
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
