import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { AUTH_CONFIG, MAIL_TRANSPORT } from '../auth.constants';
import type { AuthConfig } from '../config/auth-config';
import { defaultMailTransport } from './default-mail-transport';
import { MailComposer } from './mail-composer';
import { MailOutbox } from './mail-outbox';
import { MailSender } from './mail-sender';
import type { MailTransport } from './mail-transport';

/**
 * Mail: the composer of every mail, the outbox a change writes them to, and
 * the background sender that delivers the outbox through `MAIL_TRANSPORT`.
 * Needs the TypeORM connection (global) holding `mail_outbox`.
 */
@Module({})
export class MailModule {
  /** `imports`: what a host's own `mailTransport` injects. */
  static register(configModule: DynamicModule, mailTransport?: Type<MailTransport>, imports: ModuleMetadata['imports'] = []): DynamicModule {
    return {
      module: MailModule,
      imports: [configModule, ...imports],
      providers: [
        mailTransport
          ? { provide: MAIL_TRANSPORT, useClass: mailTransport }
          : { provide: MAIL_TRANSPORT, inject: [AUTH_CONFIG], useFactory: (config: AuthConfig) => defaultMailTransport(config) },
        MailComposer,
        MailOutbox,
        MailSender,
      ],
      exports: [MailComposer, MailOutbox, MAIL_TRANSPORT],
    };
  }
}
