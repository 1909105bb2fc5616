import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthProvider } from '@latchkey/auth-contract';
import { DataSource, QueryFailedError } from 'typeorm';
import { AuthUser, EmailTakenError, ExternalProfile, NewPasswordUser, normaliseEmail, UserStore } from './user-store';
import { UserCache } from './user-cache';
import { UserEntity } from './user.entity';
import { PreparedStatement } from '../database/prepared-statement';
import { inTransaction } from '../database/transaction';

const UNIQUE_VIOLATION = '23505';

interface UserRow {
  id: string;
  email: string;
  name: string | null;
  picture: string | null;
  password_hash: string | null;
  providers: string[] | null;
}

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

  async createWithPassword(user: NewPasswordUser): Promise<AuthUser> {
    try {
      const saved = await this.dataSource.getRepository(UserEntity).save({ ...user, picture: null });
      return { id: saved.id, email: saved.email, name: saved.name, picture: null, providers: ['password'] };
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

  async linkIdentity(userId: string, profile: ExternalProfile): Promise<AuthUser> {
    this.cache.forget(userId);
    await inTransaction(this.dataSource, async (m) => {
      await m.query(
        `INSERT INTO external_identities (user_id, provider, subject) VALUES ($1, $2, $3) ON CONFLICT (provider, subject) DO NOTHING`,
        [userId, profile.provider, profile.subject],
      );
      // Fill in what the password account lacked; never overwrite the user's own choices.
      await m.query(`UPDATE users SET name = COALESCE(name, $2), picture = COALESCE(picture, $3) WHERE id = $1`, [userId, profile.name, profile.picture]);
    });
    this.cache.forget(userId);
    const user = await this.findById(userId);
    if (!user) throw new Error(`user ${userId} vanished while linking`);
    return user;
  }

  async createWithIdentity(profile: ExternalProfile): Promise<AuthUser> {
    try {
      const id = await inTransaction(this.dataSource, async (m) => {
        const [row] = await m.query(`INSERT INTO users (email, name, picture) VALUES ($1, $2, $3) RETURNING id`, [normaliseEmail(profile.email), profile.name, profile.picture]);
        await m.query(`INSERT INTO external_identities (user_id, provider, subject) VALUES ($1, $2, $3)`, [row.id, profile.provider, profile.subject]);
        return row.id as string;
      });
      return { id, email: normaliseEmail(profile.email), name: profile.name, picture: profile.picture, providers: [profile.provider] };
    } catch (error) {
      throw isUniqueViolation(error) ? new EmailTakenError() : error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}

/** One round trip: the user with the providers it can sign in with. */
const SELECT_USER = `
  SELECT u.id, u.email, u.name, u.picture, u.password_hash,
         ARRAY(SELECT DISTINCT i.provider FROM external_identities i WHERE i.user_id = u.id) AS providers
    FROM users u`;

/** Every sign-in and refresh reads a user: prepared once per connection (see {@link PreparedStatement}). */
const USER_BY_ID = new PreparedStatement<UserRow>('latchkey_user_by_id', `${SELECT_USER} WHERE u.id = $1`);
const USER_BY_EMAIL = new PreparedStatement<UserRow>('latchkey_user_by_email', `${SELECT_USER} WHERE u.email = $1`);

function toUser(row: UserRow): AuthUser {
  const providers: AuthProvider[] = row.password_hash ? ['password'] : [];
  for (const provider of row.providers ?? []) {
    if (provider === 'google') providers.push(provider);
  }
  return { id: row.id, email: row.email, name: row.name, picture: row.picture, providers };
}
