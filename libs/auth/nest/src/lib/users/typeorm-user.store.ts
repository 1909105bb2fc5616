import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthProvider } from '@latchkey/auth-contract';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AuthUser, EmailTakenError, ExternalProfile, NewPasswordUser, normaliseEmail, UserChanges, UserStore, UserStoreTransaction } from './user-store';
import { UserCache } from './user-cache';
import { afterCommit } from '../database/after-commit';
import { PreparedStatement } from '../database/prepared-statement';
import { inTransaction } from '../database/transaction';

const UNIQUE_VIOLATION = '23505';

interface UserRow {
  id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  picture: string | null;
  password_hash: string | null;
  providers: string[] | null;
}

/** `DataSource.query` or, inside a transaction, `EntityManager.query`. */
type Queryable = Pick<EntityManager, 'query'>;

/** The default {@link UserStore}: the `users` and `external_identities` tables. */
@Injectable()
export class TypeOrmUserStore implements UserStore {
  private readonly cache = new UserCache();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<AuthUser | null> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const rows = await USER_BY_ID.rows(this.dataSource, [id]);
    if (!rows[0]) return null;
    const user = toUser(rows[0]);
    this.cache.set(user);
    return user;
  }

  async findPasswordCredentials(email: string): Promise<{ user: AuthUser; passwordHash: string | null } | null> {
    const rows = await USER_BY_EMAIL.rows(this.dataSource, [email]);
    return rows[0] ? { user: toUser(rows[0]), passwordHash: rows[0].password_hash } : null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT password_hash FROM users WHERE id = $1`, [id]);
    return row?.password_hash ?? null;
  }

  async createWithPassword(user: NewPasswordUser, tx?: UserStoreTransaction): Promise<AuthUser> {
    try {
      const [row] = await (tx ?? this.dataSource).query(`INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) RETURNING id`, [
        user.email,
        user.name,
        user.passwordHash,
      ]);
      return { id: row.id, email: user.email, emailVerified: false, name: user.name, picture: null, providers: ['password'] };
    } catch (error) {
      throw isUniqueViolation(error) ? new EmailTakenError() : error;
    }
  }

  async findByIdentity(provider: ExternalProfile['provider'], subject: string): Promise<AuthUser | null> {
    const rows: UserRow[] = await this.dataSource.query(
      `${SELECT_USER} WHERE u.id = (SELECT user_id FROM external_identities WHERE provider = $1 AND subject = $2)`,
      [provider, subject],
    );
    return rows[0] ? toUser(rows[0]) : null;
  }

  async linkIdentity(userId: string, profile: ExternalProfile, tx?: UserStoreTransaction): Promise<AuthUser> {
    const link = async (m: EntityManager) => {
      await m.query(
        `INSERT INTO external_identities (user_id, provider, subject) VALUES ($1, $2, $3) ON CONFLICT (provider, subject) DO NOTHING`,
        [userId, profile.provider, profile.subject],
      );
      // Fill in what the password account lacked; never overwrite the user's own choices.
      await m.query(`UPDATE users SET name = COALESCE(name, $2), picture = COALESCE(picture, $3) WHERE id = $1`, [userId, profile.name, profile.picture]);
      this.forget(userId, m);
      return read(m, userId);
    };
    const user = tx ? await link(tx) : await inTransaction(this.dataSource, link);
    if (!user) throw new Error(`user ${userId} vanished while linking`);
    return user;
  }

  async createWithIdentity(profile: ExternalProfile): Promise<AuthUser> {
    const email = normaliseEmail(profile.email);
    try {
      const id = await inTransaction(this.dataSource, async (m) => {
        const [row] = await m.query(
          `INSERT INTO users (email, name, picture, email_verified_at) VALUES ($1, $2, $3, CASE WHEN $4::boolean THEN now() END) RETURNING id`,
          [email, profile.name, profile.picture, profile.emailVerified],
        );
        await m.query(`INSERT INTO external_identities (user_id, provider, subject) VALUES ($1, $2, $3)`, [row.id, profile.provider, profile.subject]);
        return row.id as string;
      });
      return { id, email, emailVerified: profile.emailVerified, name: profile.name, picture: profile.picture, providers: [profile.provider] };
    } catch (error) {
      throw isUniqueViolation(error) ? new EmailTakenError() : error;
    }
  }

  async update(id: string, changes: UserChanges, tx?: UserStoreTransaction): Promise<AuthUser | null> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (sql: (param: string) => string, value: unknown) => {
      params.push(value);
      sets.push(sql(`$${params.length}`));
    };
    if (changes.name !== undefined) set((p) => `name = ${p}`, changes.name);
    if (changes.email !== undefined) set((p) => `email = ${p}`, changes.email);
    if (changes.passwordHash !== undefined) set((p) => `password_hash = ${p}`, changes.passwordHash);
    if (changes.emailVerified !== undefined) {
      set((p) => `email_verified_at = CASE WHEN ${p}::boolean THEN COALESCE(email_verified_at, now()) END`, changes.emailVerified);
    }
    if (sets.length === 0) return tx ? read(tx, id) : this.findById(id);
    const q = tx ?? this.dataSource;
    try {
      const rows: UserRow[] = await q.query(
        `WITH u AS (UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING *)
         SELECT u.id, u.email, u.email_verified_at IS NOT NULL AS email_verified, u.name, u.picture, u.password_hash,
                ARRAY(SELECT DISTINCT i.provider FROM external_identities i WHERE i.user_id = u.id) AS providers
           FROM u`,
        params,
      );
      this.forget(id, tx);
      return rows[0] ? toUser(rows[0]) : null;
    } catch (error) {
      throw isUniqueViolation(error) ? new EmailTakenError() : error;
    }
  }

  async delete(id: string, tx?: UserStoreTransaction): Promise<boolean> {
    // Identities go with it (ON DELETE CASCADE); sessions and mailed links AccountService deletes first.
    const rows: unknown[] = await (tx ?? this.dataSource).query(`WITH d AS (DELETE FROM users WHERE id = $1 RETURNING id) SELECT id FROM d`, [id]);
    this.forget(id, tx);
    return rows.length > 0;
  }

  /** Drops the cached user now and once more when `tx` commits: a read in between would cache the old row. */
  private forget(id: string, tx?: EntityManager): void {
    this.cache.forget(id);
    afterCommit(tx, () => this.cache.forget(id));
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}

/** One round trip: the user with the providers it can sign in with. */
const SELECT_USER = `
  SELECT u.id, u.email, u.email_verified_at IS NOT NULL AS email_verified, u.name, u.picture, u.password_hash,
         ARRAY(SELECT DISTINCT i.provider FROM external_identities i WHERE i.user_id = u.id) AS providers
    FROM users u`;

/** Every sign-in and refresh reads a user: prepared once per connection (see {@link PreparedStatement}). */
const USER_BY_ID = new PreparedStatement<UserRow>('latchkey_user_by_id', `${SELECT_USER} WHERE u.id = $1`);
const USER_BY_EMAIL = new PreparedStatement<UserRow>('latchkey_user_by_email', `${SELECT_USER} WHERE u.email = $1`);

/** The user as `q` sees it: inside a transaction, with its uncommitted writes. */
async function read(q: Queryable, id: string): Promise<AuthUser | null> {
  const rows: UserRow[] = await q.query(`${SELECT_USER} WHERE u.id = $1`, [id]);
  return rows[0] ? toUser(rows[0]) : null;
}

function toUser(row: UserRow): AuthUser {
  const providers: AuthProvider[] = row.password_hash ? ['password'] : [];
  for (const provider of row.providers ?? []) {
    if (provider === 'google') providers.push(provider);
  }
  return { id: row.id, email: row.email, emailVerified: row.email_verified, name: row.name, picture: row.picture, providers };
}
