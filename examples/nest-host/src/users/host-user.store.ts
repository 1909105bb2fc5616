import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AuthUser,
  EmailTakenError,
  ExternalProfile,
  NewPasswordUser,
  normaliseEmail,
  UserChanges,
  UserStore,
  UserStoreTransaction,
} from '@latchkey/auth-nest';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { HostIdentity } from './host-identity.entity';
import { HostUser } from './host-user.entity';

/**
 * Latchkey's view of this app's users. Every write takes the transaction
 * Latchkey passes (`tx`), so a user row and the mail it causes commit together.
 */
@Injectable()
export class HostUserStore implements UserStore {
  constructor(@InjectRepository(HostUser) private readonly users: Repository<HostUser>) {}

  async findById(id: string): Promise<AuthUser | null> {
    return read(this.users.manager, id);
  }

  async findPasswordCredentials(email: string): Promise<{ user: AuthUser; passwordHash: string | null } | null> {
    const user = await this.users.findOne({ where: { email: normaliseEmail(email) }, relations: { identities: true } });
    return user ? { user: toAuthUser(user), passwordHash: user.passwordHash } : null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const user = await this.users.findOne({ where: { id }, select: { id: true, passwordHash: true } });
    return user?.passwordHash ?? null;
  }

  async createWithPassword(user: NewPasswordUser, tx?: UserStoreTransaction): Promise<AuthUser> {
    const users = this.repo(tx);
    const saved = await unique(() => users.save(users.create({ email: normaliseEmail(user.email), name: user.name, passwordHash: user.passwordHash, emailVerified: false })));
    return toAuthUser(saved);
  }

  async findByIdentity(provider: ExternalProfile['provider'], subject: string): Promise<AuthUser | null> {
    const identity = await this.users.manager.getRepository(HostIdentity).findOneBy({ provider, subject });
    return identity ? read(this.users.manager, identity.userId) : null;
  }

  async linkIdentity(userId: string, profile: ExternalProfile, tx?: UserStoreTransaction): Promise<AuthUser> {
    const link = async (m: EntityManager) => {
      await m.createQueryBuilder().insert().into(HostIdentity).values({ userId, provider: profile.provider, subject: profile.subject }).orIgnore().execute();
      // Fill in what the account lacked; never overwrite the user's own choices.
      await m.query(`UPDATE host_users SET name = COALESCE(name, $2), picture = COALESCE(picture, $3) WHERE id = $1`, [userId, profile.name, profile.picture]);
      return read(m, userId);
    };
    const user = tx ? await link(tx) : await this.users.manager.transaction(link);
    if (!user) throw new Error(`host user ${userId} vanished while linking`);
    return user;
  }

  async createWithIdentity(profile: ExternalProfile): Promise<AuthUser> {
    return unique(() =>
      this.users.manager.transaction(async (m) => {
        const users = m.getRepository(HostUser);
        const user = await users.save(
          users.create({ email: normaliseEmail(profile.email), name: profile.name, picture: profile.picture, emailVerified: profile.emailVerified }),
        );
        await m.getRepository(HostIdentity).insert({ userId: user.id, provider: profile.provider, subject: profile.subject });
        return toAuthUser({ ...user, identities: [{ provider: profile.provider } as HostIdentity] });
      }),
    );
  }

  async update(id: string, changes: UserChanges, tx?: UserStoreTransaction): Promise<AuthUser | null> {
    const patch: Partial<HostUser> = {};
    if (changes.name !== undefined) patch.name = changes.name;
    if (changes.email !== undefined) patch.email = changes.email;
    if (changes.passwordHash !== undefined) patch.passwordHash = changes.passwordHash;
    if (changes.emailVerified !== undefined) patch.emailVerified = changes.emailVerified;
    const manager = tx ?? this.users.manager;
    if (Object.keys(patch).length > 0) await unique(() => manager.getRepository(HostUser).update({ id }, patch));
    return read(manager, id);
  }

  async delete(id: string, tx?: UserStoreTransaction): Promise<boolean> {
    // host_identities go with it (ON DELETE CASCADE).
    const result = await this.repo(tx).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  private repo(tx?: UserStoreTransaction): Repository<HostUser> {
    return tx ? tx.getRepository(HostUser) : this.users;
  }
}

/** The user as `m` sees it (inside a transaction: with its uncommitted writes). */
async function read(m: EntityManager, id: string): Promise<AuthUser | null> {
  const user = await m.getRepository(HostUser).findOne({ where: { id }, relations: { identities: true } });
  return user ? toAuthUser(user) : null;
}

function toAuthUser(user: HostUser): AuthUser {
  const providers: AuthUser['providers'] = user.passwordHash ? ['password'] : [];
  if (user.identities?.some((identity) => identity.provider === 'google')) providers.push('google');
  return { id: user.id, email: user.email, emailVerified: user.emailVerified, name: user.name, picture: user.picture, providers };
}

/** A unique violation on host_users.email is Latchkey's EmailTakenError (→ 409). */
async function unique<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (driverError?.code === '23505' && driverError.constraint === 'UQ_host_users_email') throw new EmailTakenError();
    throw error;
  }
}
