import { RefreshTokenEntity } from './sessions/refresh-token.entity';
import { SessionEntity } from './sessions/session.entity';
import { SessionTombstoneEntity } from './sessions/session-tombstone.entity';
import { ExternalIdentityEntity } from './users/external-identity.entity';
import { UserEntity } from './users/user.entity';
import { AccountTokenEntity } from './tokens/account-token.entity';
import { MailOutboxEntity } from './mail/mail-outbox.entity';
import { InitialSchema1764140000000 } from './migrations/1764140000000-initial-schema';
import { NormaliseEmails1764990000000 } from './migrations/1764990000000-normalise-emails';
import { SessionLiveToken1764995000000 } from './migrations/1764995000000-session-live-token';
import { MailOutbox1765000000000 } from './migrations/1765000000000-mail-outbox';
import { Accounts1765100000000 } from './migrations/1765100000000-accounts';
import { SessionTombstones1765200000000 } from './migrations/1765200000000-session-tombstones';
import { UsersWithoutForeignKeys1765300000000 } from './migrations/1765300000000-users-without-foreign-keys';
import { SessionIpAddress1765400000000 } from './migrations/1765400000000-session-ip-address';
import { CleanupIndexes1765500000000 } from './migrations/1765500000000-cleanup-indexes';

/** The tables the auth module owns; a host's TypeORM connection must include them. */
export const AUTH_ENTITIES = [UserEntity, ExternalIdentityEntity, SessionEntity, RefreshTokenEntity, AccountTokenEntity, MailOutboxEntity, SessionTombstoneEntity];

/** Committed migrations, applied in order at start-up (never `synchronize`). */
export const AUTH_MIGRATIONS = [InitialSchema1764140000000, NormaliseEmails1764990000000, SessionLiveToken1764995000000, MailOutbox1765000000000, Accounts1765100000000, SessionTombstones1765200000000, UsersWithoutForeignKeys1765300000000, SessionIpAddress1765400000000, CleanupIndexes1765500000000];
