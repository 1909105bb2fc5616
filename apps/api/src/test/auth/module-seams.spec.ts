import { Body, Controller, DynamicModule, Get, Injectable, Module, Post } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { AUTH_CONFIG, AUTH_ENTITIES, authDataSourceOptions, AuthModule, AuthModuleExtras, ConfigError, CurrentUser, DatabaseModule, EmailTakenError, initializeAndMigrate, normaliseEmail, Public, validateAuthConfig } from '@latchkey/auth-nest';
import type { AuthConfig, AuthenticatedCaller, AuthUser, NewPasswordUser, UserChanges, UserStore, UserStoreTransaction } from '@latchkey/auth-nest';
import { createEmbeddedDataSource } from '@latchkey/auth-nest/pglite';
import { createTestDatabase, testAuthConfig } from '@latchkey/auth-nest-testing';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, Repository } from 'typeorm';
import { startHostModule, testApiConfig, type TestApp } from '../test-app';
import { Browser, expectApiError, PASSWORD, setCookieOf, uniqueEmail } from '../harness';

/** The host's own account table: Latchkey's `users` stays empty. */
@Entity({ name: 'host_accounts' })
class HostAccount {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'email_verified', type: 'boolean', default: false })
  emailVerified!: boolean;

  @Column({ type: 'text', default: 'free' })
  plan!: string;
}

const CREATE_HOST_ACCOUNTS = `CREATE TABLE host_accounts (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL UNIQUE, name text, password_hash text, email_verified boolean NOT NULL DEFAULT false, plan text NOT NULL DEFAULT 'free')`;

/** A user store on the host's own repository, injected through `imports`. */
@Injectable()
class RepositoryUserStore implements UserStore {
  constructor(@InjectRepository(HostAccount) private readonly accounts: Repository<HostAccount>) {}

  private repo(tx?: UserStoreTransaction): Repository<HostAccount> {
    return tx ? tx.getRepository(HostAccount) : this.accounts;
  }

  private toUser(account: HostAccount): AuthUser {
    return { id: account.id, email: account.email, emailVerified: account.emailVerified, name: account.name, picture: null, providers: ['password'] };
  }

  async findById(id: string) {
    const account = await this.accounts.findOneBy({ id });
    return account ? this.toUser(account) : null;
  }

  async findPasswordCredentials(email: string) {
    const account = await this.accounts.findOneBy({ email: normaliseEmail(email) });
    return account ? { user: this.toUser(account), passwordHash: account.passwordHash } : null;
  }

  async passwordHashOf(id: string) {
    return (await this.accounts.findOneBy({ id }))?.passwordHash ?? null;
  }

  async createWithPassword(user: NewPasswordUser, tx?: UserStoreTransaction) {
    if (await this.repo(tx).existsBy({ email: user.email })) throw new EmailTakenError();
    return this.toUser(await this.repo(tx).save(this.repo(tx).create({ email: user.email, name: user.name, passwordHash: user.passwordHash })));
  }

  async findByIdentity() {
    return null;
  }

  async linkIdentity(): Promise<AuthUser> {
    throw new Error('passwords only');
  }

  async createWithIdentity(): Promise<AuthUser> {
    throw new Error('passwords only');
  }

  async update(id: string, changes: UserChanges, tx?: UserStoreTransaction) {
    await this.repo(tx).update({ id }, changes);
    const account = await this.repo(tx).findOneBy({ id });
    return account ? this.toUser(account) : null;
  }

  async delete(id: string, tx?: UserStoreTransaction) {
    return ((await this.repo(tx).delete({ id })).affected ?? 0) > 0;
  }
}

@Controller('host')
class HostController {
  @Public()
  @Post('echo')
  echo(@Body() body: unknown) {
    return { echoed: body };
  }

  @Public()
  @Get('fail')
  fail() {
    throw new Error('the host’s own bug');
  }

  @Get('plan')
  plan(@CurrentUser() caller: AuthenticatedCaller) {
    return { userId: caller.userId };
  }
}

interface HostApp extends TestApp {
  dataSource: DataSource;
}

/**
 * A host as another team writes it: its own DataSource (TypeORM options as
 * fields on PostgreSQL, not a URL) with its own entity beside Latchkey's, its
 * repository injected into its user store, and a global prefix of its own.
 */
async function startHost(extras: AuthModuleExtras & { prefix: string }): Promise<HostApp> {
  const db = await createTestDatabase(process.env);
  const base = testApiConfig(db);
  const entities = [...AUTH_ENTITIES, HostAccount];
  let dataSource: DataSource;
  if (db.databaseUrl) {
    const parsed = new URL(db.databaseUrl);
    const fields = { host: parsed.hostname, port: Number(parsed.port || 5432), username: decodeURIComponent(parsed.username), database: parsed.pathname.slice(1) };
    dataSource = new DataSource({ ...authDataSourceOptions({ entities }), ...fields, type: 'postgres' });
  } else {
    dataSource = await createEmbeddedDataSource(db.dataDir, { entities });
  }
  await initializeAndMigrate(dataSource, 'test database');
  await dataSource.query(CREATE_HOST_ACCOUNTS);

  const { prefix, ...moduleExtras } = extras;
  @Module({})
  class HostModule {
    static register(): DynamicModule {
      return {
        module: HostModule,
        imports: [
          DatabaseModule.forDataSource(dataSource),
          AuthModule.forRootAsync({
            imports: [TypeOrmModule.forFeature([HostAccount])],
            useFactory: async (): Promise<AuthConfig> => base.auth,
            userStore: RepositoryUserStore,
            ...moduleExtras,
          }),
        ],
        controllers: [HostController],
      };
    }
  }
  return startHostModule(HostModule.register(), { db, dataSource, config: base, prefix });
}

describe('AuthModule in a host with its own prefix, user table and TypeORM options', () => {
  let host: HostApp;
  beforeAll(async () => (host = await startHost({ prefix: 'svc' })));
  afterAll(() => host?.close());

  it('registers into the host’s own table through its injected repository; Latchkey’s users table stays empty', async () => {
    const email = uniqueEmail('host-table');
    const client = new Browser(host);
    const res = await client.register({ email, password: PASSWORD, name: 'Host Table' });
    expect(res.status).toBe(201);
    const [account] = await host.dataSource.query(`SELECT id, plan FROM host_accounts WHERE email = $1`, [email]);
    expect(res.body.user).toMatchObject({ id: account.id, email, name: 'Host Table' });
    expect(await host.dataSource.query(`SELECT id FROM users`)).toEqual([]);
    expect(await host.dataSource.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [account.id])).toHaveLength(1);
    expect((await client.get('host/plan')).body).toEqual({ userId: account.id });
  });

  it('scopes the refresh and device cookies to the host’s prefix, and refresh works there', async () => {
    const client = new Browser(host);
    const res = await client.register({ email: uniqueEmail('host-prefix'), password: PASSWORD });
    expect(setCookieOf(res, client.cookieNames.refresh).path).toBe('/svc/auth');
    expect(setCookieOf(res, client.cookieNames.device).path).toBe('/svc/auth');
    const before = client.refreshToken;
    const refreshed = await client.refresh();
    expect(refreshed.status).toBe(200);
    expect(client.refreshToken).not.toBe(before);
    const out = await client.logout();
    expect(setCookieOf(out, client.cookieNames.refresh)).toMatchObject({ maxAge: 0, path: '/svc/auth' });
  });

  it('checks CSRF under the host’s prefix, host routes included', async () => {
    const client = new Browser(host);
    await client.register({ email: uniqueEmail('host-csrf'), password: PASSWORD });
    expectApiError(await client.post('auth/logout-all', undefined, { xsrf: false }), 403);
    expectApiError(await client.post('host/echo', { a: 1 }, { xsrf: false }), 403);
    expect((await client.post('host/echo', { a: 1 })).status).toBe(201);
  });

  it('deletes the account’s sessions and links itself, without a foreign key to cascade', async () => {
    const email = uniqueEmail('host-delete');
    const client = new Browser(host);
    const { body } = await client.register({ email, password: PASSWORD });
    expect((await client.deleteAccount(PASSWORD)).status).toBe(204);
    expect(await host.dataSource.query(`SELECT 1 FROM host_accounts WHERE id = $1`, [body.user.id])).toEqual([]);
    expect(await host.dataSource.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [body.user.id])).toEqual([]);
    expectApiError(await client.me(), 401);
  });

  it('answers the host’s own errors in Nest’s shape too (the global filter is on by default)', async () => {
    expectApiError(await new Browser(host).get('host/fail'), 500);
  });
});

describe('AuthModule with its global filter, headers and CSRF check turned off', () => {
  let host: HostApp;
  beforeAll(async () => (host = await startHost({ prefix: 'api/v1', globalExceptionFilter: false, globalSecurityHeaders: false, globalCsrf: false })));
  afterAll(() => host?.close());

  it('leaves the host’s routes to the host: no CSRF check, no security headers, Nest’s own error body', async () => {
    const client = new Browser(host);
    const echo = await client.post('host/echo', { a: 1 }, { xsrf: false });
    expect(echo.status).toBe(201);
    expect(echo.headers['content-security-policy']).toBeUndefined();
    const fail = await client.get('host/fail');
    expect(fail.status).toBe(500);
    expect(fail.body).toEqual({ statusCode: 500, message: 'Internal server error' });
  });

  it('still protects its own routes: CSRF, headers, and its error shape', async () => {
    const client = new Browser(host);
    const refused = await client.post('auth/login', { email: uniqueEmail('off'), password: PASSWORD }, { xsrf: false });
    expectApiError(refused, 403);
    expect(refused.headers['content-security-policy']).toContain("default-src 'self'");
    expect((await client.register({ email: uniqueEmail('off'), password: PASSWORD })).status).toBe(201);
  });
});

describe('a host-built AuthConfig', () => {
  let base: AuthConfig;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const db = await createTestDatabase(process.env);
    base = testAuthConfig(db);
    drop = () => db.drop();
  });
  afterAll(() => drop?.());

  it.each<[string, Partial<Record<keyof AuthConfig, unknown>>, string]>([
    ['a NaN TTL', { accessTokenTtlSeconds: Number('thirty') }, 'AuthConfig.accessTokenTtlSeconds'],
    ['a refresh TTL shorter than the access TTL', { refreshTokenTtlSeconds: 60, accessTokenTtlSeconds: 600 }, 'AuthConfig.refreshTokenTtlSeconds'],
    ['a 1-byte production secret', { env: 'production', isProduction: true, jwtSecret: 'x' }, 'AuthConfig.jwtSecret'],
    ['an app URL with a path', { appUrl: 'https://app.example.com/login' }, 'AuthConfig.appUrl'],
  ])('with %s is refused with a ConfigError naming the field', (_case, change, field) => {
    const config = { ...base, ...change } as AuthConfig;
    expect(() => validateAuthConfig(config)).toThrow(ConfigError);
    expect(() => AuthModule.forRoot(config)).toThrow(expect.objectContaining({ variable: field }));
  });

  it('from forRootAsync’s factory is validated the same way', async () => {
    const module = AuthModule.forRootAsync({ useFactory: async () => ({ ...base, sessionMaxAgeSeconds: -1 }) });
    const configModule = module.imports?.[0] as DynamicModule;
    const provider = configModule.providers?.find((p) => typeof p === 'object' && 'provide' in p && p.provide === AUTH_CONFIG) as { useFactory: () => Promise<AuthConfig> };
    await expect(provider.useFactory()).rejects.toMatchObject({ name: 'ConfigError', variable: 'AuthConfig.sessionMaxAgeSeconds' });
    await expect(AuthModule.forRootAsync({ useFactory: () => base }).imports?.[0] as DynamicModule).toBeTruthy();
  });
});
