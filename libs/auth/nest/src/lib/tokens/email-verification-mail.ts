import { Injectable } from '@nestjs/common';
import type { User } from '@latchkey/auth-contract';
import type { EntityManager } from 'typeorm';
import type { AuthConfig } from '../config/auth-config';
import { AuthEventLogger } from '../events/auth-event-logger';
import { afterCommit } from '../database/after-commit';
import { MailComposer } from '../mail/mail-composer';
import { MailOutbox } from '../mail/mail-outbox';
import { AccountTokenStore } from './account-token.store';
import { InjectAuthConfig } from '../auth.constants';

/**
 * The verification link of an account's current address, as a token and an
 * outbox row in the caller's transaction: on register, on request, and when a
 * sign-in is refused for an unverified address. Older links keep working (they
 * prove the same address) until they expire or the address changes.
 */
@Injectable()
export class EmailVerificationMail {
  constructor(
    @InjectAuthConfig() private readonly config: AuthConfig,
    private readonly tokens: AccountTokenStore,
    private readonly composer: MailComposer,
    private readonly outbox: MailOutbox,
    private readonly events: AuthEventLogger,
  ) {}

  async queue(tx: EntityManager, user: User): Promise<void> {
    const { token } = await this.tokens.issue(tx, {
      userId: user.id,
      purpose: 'email_verification',
      ttlSeconds: this.config.emailTokenTtlSeconds,
      voidsOlder: false,
      now: new Date(),
    });
    await this.outbox.enqueue(tx, this.composer.emailVerification(user.email, user.id, token));
    afterCommit(tx, () => this.events.log('email_verification_sent', { userId: user.id }));
  }
}
