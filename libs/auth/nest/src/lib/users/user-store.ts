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

/** Emails compare case-insensitively; store and look up one form. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
