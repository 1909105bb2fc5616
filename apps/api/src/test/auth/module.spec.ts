import { Controller, DynamicModule, Get, Inject, Injectable, Module, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash } from '@node-rs/argon2';
import { API_PREFIX } from '@latchkey/auth-contract';
import { AUTH_CONFIG, AuthModule, CurrentUser, DatabaseModule, EmailTakenError, JwtAuthGuard, Public, TokenService } from '@latchkey/auth-nest';
import type { AuthConfig, AuthenticatedCaller, AuthUser, NewPasswordUser, UserChanges, UserStore, UserStoreTransaction } from '@latchkey/auth-nest';
import { createTestDatabase } from '@latchkey/auth-nest-testing';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../app/database';
import { startHostModule, testApiConfig, type TestApp } from '../test-app';
import { Browser, decodeJwt, expectApiError, PASSWORD, setCookieOf, uniqueEmail } from '../harness';

/** What the host's own settings module provides; the auth config is built from it. */
const HOST_SETTINGS = Symbol('HOST_SETTINGS');
const HOST_ACCESS_TTL = 777;
const HOST_AVATAR = 'https://host.example/avatar.png';

@Module({ providers: [{ provide: HOST_SETTINGS, useValue: { accessTokenTtlSeconds: HOST_ACCESS_TTL } }], exports: [HOST_SETTINGS] })
class HostSettingsModule {}

/**
 * A host's own user store: users live in its memory (the auth tables only
 * get the `users` row that sessions reference). Every user it returns has the
 * host's avatar, so a response shows which store answered.
 */
@Injectable()
class HostUserStore implements UserStore {
  static readonly users = new Map<string, { user: AuthUser; passwordHash: string }>();
  static readonly calls: string[] = [];

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  static async seed(dataSource: DataSource, email: string, password: string): Promise<AuthUser> {
    const [row] = await dataSource.query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [email]);
    const user: AuthUser = { id: row.id, email, emailVerified: true, name: 'Seeded by the host', picture: HOST_AVATAR, providers: ['password'] };
    HostUserStore.users.set(row.id, { user, passwordHash: await hash(password) });
    return user;
  }

  async findById(id: string): Promise<AuthUser | null> {
    HostUserStore.calls.push('findById');
    return HostUserStore.users.get(id)?.user ?? null;
  }

  async findPasswordCredentials(email: string): Promise<{ user: AuthUser; passwordHash: string | null } | null> {
    HostUserStore.calls.push('findPasswordCredentials');
    return [...HostUserStore.users.values()].find((entry) => entry.user.email === email) ?? null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    return HostUserStore.users.get(id)?.passwordHash ?? null;
  }

  /** Joins Latchkey's transaction (`tx`): on PGlite's one connection, a query beside it would wait forever. */
  async createWithPassword(user: NewPasswordUser, tx?: UserStoreTransaction): Promise<AuthUser> {
    HostUserStore.calls.push('createWithPassword');
    if (await this.findPasswordCredentials(user.email)) throw new EmailTakenError();
    const [row] = await (tx ?? this.dataSource).query(`INSERT INTO users (email) VALUES ($1) RETURNING id`, [user.email]);
    const created: AuthUser = { id: row.id, email: user.email, emailVerified: false, name: user.name, picture: HOST_AVATAR, providers: ['password'] };
    HostUserStore.users.set(row.id, { user: created, passwordHash: user.passwordHash });
    return created;
  }

  async findByIdentity(): Promise<AuthUser | null> {
    return null;
  }

  async linkIdentity(): Promise<AuthUser> {
    throw new Error('this host signs in with passwords only');
  }

  async createWithIdentity(): Promise<AuthUser> {
    throw new Error('this host signs in with passwords only');
  }

  async update(id: string, changes: UserChanges): Promise<AuthUser | null> {
    HostUserStore.calls.push('update');
    const entry = HostUserStore.users.get(id);
    if (!entry) return null;
    const { passwordHash, ...fields } = changes;
    entry.user = { ...entry.user, ...fields };
    if (passwordHash !== undefined) entry.passwordHash = passwordHash ?? '';
    return entry.user;
  }

  async delete(id: string, tx?: UserStoreTransaction): Promise<boolean> {
    HostUserStore.calls.push('delete');
    await (tx ?? this.dataSource).query(`DELETE FROM users WHERE id = $1`, [id]);
    return HostUserStore.users.delete(id);
  }
}

/** A host route behind the global guard, one opened with @Public(), and the exported token service. */
@Controller('host')
class HostController {
  constructor(
    private readonly tokens: TokenService,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  @Get('whoami')
  whoami(@CurrentUser() caller: AuthenticatedCaller) {
    return { userId: caller.userId, sessionId: caller.sessionId };
  }

  @Public()
  @Get('open')
  open() {
    return { open: true, accessTokenTtlSeconds: this.config.accessTokenTtlSeconds };
  }

  @Public()
  @Get('service-token')
  serviceToken() {
    return { token: this.tokens.signAccessToken('00000000-0000-4000-8000-000000000000', '00000000-0000-4000-8000-000000000001').token };
  }
}

/** The same route, guarded by hand, for a host that turns the global guard off. */
@Controller('host')
class ManuallyGuardedController {
  @Get('open-by-default')
  open() {
    return { open: true };
  }

  @UseGuards(JwtAuthGuard)
  @Get('guarded')
  guarded(@CurrentUser() caller: AuthenticatedCaller) {
    return { userId: caller.userId };
  }
}

/** A tiny host app around AuthModule.forRootAsync, as another team would embed it. */
async function startHostApp(options: { globalGuard: boolean; controller: new (...args: never[]) => unknown }): Promise<TestApp & { dataSource: DataSource }> {
  const db = await createTestDatabase(process.env, { migrated: true });
  const base = testApiConfig(db);
  const dataSource = await openDataSource(base.server);
  @Module({})
  class HostModule {
    static register(): DynamicModule {
      return {
        module: HostModule,
        imports: [
          DatabaseModule.forDataSource(dataSource),
          AuthModule.forRootAsync({
            imports: [HostSettingsModule],
            inject: [HOST_SETTINGS],
            useFactory: (settings: { accessTokenTtlSeconds: number }): AuthConfig => ({ ...base.auth, accessTokenTtlSeconds: settings.accessTokenTtlSeconds }),
            userStore: HostUserStore,
            globalGuard: options.globalGuard,
          }),
        ],
        controllers: [options.controller],
      };
    }
  }
  const config = { ...base, auth: { ...base.auth, accessTokenTtlSeconds: HOST_ACCESS_TTL } };
  return startHostModule(HostModule.register(), { db, dataSource, config, prefix: API_PREFIX });
}

describe('AuthModule.forRootAsync in a host app', () => {
  let host: Awaited<ReturnType<typeof startHostApp>>;
  beforeAll(async () => (host = await startHostApp({ globalGuard: true, controller: HostController })));
  afterAll(() => host?.close());

  it('builds its AuthConfig with the factory, from the host’s own providers', async () => {
    const res = await new Browser(host).get('host/open');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ open: true, accessTokenTtlSeconds: HOST_ACCESS_TTL });
  });

  it('signs in a user of the host’s own store, and answers from that store', async () => {
    const email = uniqueEmail('host');
    const seeded = await HostUserStore.seed(host.dataSource, email, PASSWORD);
    const client = new Browser(host);
    const login = await client.login({ email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.user).toEqual(seeded);
    expect(HostUserStore.calls).toContain('findPasswordCredentials');
    // The factory's TTL reached the token service and the cookie.
    expect(setCookieOf(login, client.cookieNames.access).maxAge).toBe(HOST_ACCESS_TTL);
    const { payload } = decodeJwt(client.accessToken as string);
    expect(payload.exp - payload.iat).toBe(HOST_ACCESS_TTL);

    const me = await client.me();
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(seeded);
    expect((await client.refresh()).body.user).toEqual(seeded);
    expectApiError(await new Browser(host).login({ email, password: 'wrong password' }), 401);
  });

  it('registers new users into the host’s store', async () => {
    const email = uniqueEmail('host-new');
    const res = await new Browser(host).register({ email, password: PASSWORD, name: 'New Host User' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, name: 'New Host User', picture: HOST_AVATAR });
    expect(HostUserStore.calls).toContain('createWithPassword');
    expectApiError(await new Browser(host).register({ email, password: PASSWORD }), 409);
  });

  it('changes a password and deletes an account through the host’s store', async () => {
    const email = uniqueEmail('host-account');
    const seeded = await HostUserStore.seed(host.dataSource, email, PASSWORD);
    const client = new Browser(host);
    expect((await client.login({ email, password: PASSWORD })).status).toBe(200);
    expect((await client.changePassword(PASSWORD, 'a new host password')).status).toBe(204);
    expect(HostUserStore.calls).toContain('update');
    expectApiError(await new Browser(host).login({ email, password: PASSWORD }), 401);
    expect((await client.deleteAccount('a new host password')).status).toBe(204);
    expect(HostUserStore.calls).toContain('delete');
    expect(await host.dataSource.query(`SELECT 1 FROM sessions WHERE user_id = $1`, [seeded.id])).toEqual([]);
    expectApiError(await client.me(), 401);
  });

  it('guards the host’s routes globally, opens @Public() ones, and gives @CurrentUser() the caller', async () => {
    expectApiError(await new Browser(host).get('host/whoami'), 401);
    const email = uniqueEmail('host-guard');
    const user = await HostUserStore.seed(host.dataSource, email, PASSWORD);
    const client = new Browser(host);
    await client.login({ email, password: PASSWORD });
    const sessionId = decodeJwt(client.accessToken as string).payload.sid;
    expect((await client.get('host/whoami')).body).toEqual({ userId: user.id, sessionId });
    expect((await client.bearer('get', 'host/whoami', client.accessToken as string)).body).toEqual({ userId: user.id, sessionId });
    expect((await client.logout()).status).toBe(204);
    expectApiError(await client.bearer('get', 'host/whoami', client.accessToken ?? ''), 401);
  });

  it('checks access tokens without a database query per request', async () => {
    const email = uniqueEmail('host-hot');
    await HostUserStore.seed(host.dataSource, email, PASSWORD);
    const client = new Browser(host);
    await client.login({ email, password: PASSWORD });
    const queries = jest.spyOn(host.dataSource, 'createQueryRunner');
    try {
      for (let i = 0; i < 20; i++) expect((await client.get('host/whoami')).status).toBe(200);
      expect(queries).not.toHaveBeenCalled();
    } finally {
      queries.mockRestore();
    }
  });

  it('exports the token service: tokens it signs pass the guard', async () => {
    const { token } = (await new Browser(host).get('host/service-token')).body;
    const res = await new Browser(host).bearer('get', 'host/whoami', token);
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe('00000000-0000-4000-8000-000000000000');
  });
});

describe('AuthModule with the global guard off', () => {
  let host: Awaited<ReturnType<typeof startHostApp>>;
  beforeAll(async () => (host = await startHostApp({ globalGuard: false, controller: ManuallyGuardedController })));
  afterAll(() => host?.close());

  it('leaves routes open, and the exported guard protects the ones that use it', async () => {
    expect((await new Browser(host).get('host/open-by-default')).status).toBe(200);
    expectApiError(await new Browser(host).get('host/guarded'), 401);
    const email = uniqueEmail('manual');
    const user = await HostUserStore.seed(host.dataSource, email, PASSWORD);
    const client = new Browser(host);
    expect((await client.login({ email, password: PASSWORD })).status).toBe(200);
    expect((await client.get('host/guarded')).body).toEqual({ userId: user.id });
    expect((await client.me()).status).toBe(200);
  });
});
