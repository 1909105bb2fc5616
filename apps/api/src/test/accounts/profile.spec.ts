import { AuthClient, signUp } from '../auth/auth-client';
import { expectApiError } from '../auth/expect-error';
import { accountApi, AccountsApp, onInstance, startAccountsApp } from './accounts-harness';

/** CONTRACT.md `PATCH /auth/me` `{name}`. */
describe('PATCH /auth/me', () => {
  let app: AccountsApp;
  beforeAll(async () => (app = await startAccountsApp()));
  afterAll(() => app?.close());

  it('200 {user, accessTokenExpiresAt}; /auth/me shows the new name at once', async () => {
    const { client, user } = await signUp(app.t);
    const res = await accountApi.updateProfile(client, { name: 'Ada Lovelace' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ user: { ...user, name: 'Ada Lovelace' }, accessTokenExpiresAt: new Date(client.claims().exp * 1000).toISOString() });
    expect((await client.me()).body.user.name).toBe('Ada Lovelace');
  });

  it('stores names without bidi-override and zero-width characters; null or nothing visible removes the name', async () => {
    const { client } = await signUp(app.t);
    expect((await accountApi.updateProfile(client, { name: '  \u202EGrace\u202C Hop\u200Bper ' })).body.user.name).toBe('Grace Hopper');
    expect((await accountApi.updateProfile(client, { name: null })).body.user.name).toBeNull();
    await accountApi.updateProfile(client, { name: 'Grace' });
    expect((await accountApi.updateProfile(client, { name: '\u200B \uFEFF' })).body.user.name).toBeNull();
    expect((await accountApi.updateProfile(client, { name: 'x'.repeat(100) })).status).toBe(200);
  });

  it.each([
    ['over 100 characters', { name: 'x'.repeat(101) }],
    ['a control character', { name: 'Ada\u0007' }],
    ['a NUL', { name: 'Ada\u0000Lovelace' }],
    ['a newline', { name: 'Ada\nLovelace' }],
    ['no name field', {}],
    ['a number', { name: 42 }],
    ['an unknown field', { name: 'Ada', email: 'x@example.com' }],
    ['__proto__', '{"name":"Ada","__proto__":{"admin":true}}'],
  ])('400 for %s, and the name stays', async (_case, body) => {
    const { client } = await signUp(app.t);
    await accountApi.updateProfile(client, { name: 'Kept' });
    expectApiError(await accountApi.updateProfile(client, body), 400);
    expect((await client.me()).body.user.name).toBe('Kept');
  });

  it('401 without an access token; 403 without the XSRF header; a Bearer token needs none', async () => {
    expectApiError(await accountApi.updateProfile(new AuthClient(app.t), { name: 'Nobody' }), 401);
    const { client } = await signUp(app.t);
    expectApiError(await client.send('patch', 'auth/me', { body: { name: 'No XSRF' }, xsrf: false }), 403);
    const bearer = await client.bearer('patch', 'auth/me', client.currentAccessToken(), { name: 'By Bearer' });
    expect(bearer.status).toBe(200);
    expect(bearer.body.user.name).toBe('By Bearer');
  });

  it('a rename on one instance shows on another within the user cache’s few seconds', async () => {
    const b = (await startAccountsApp({}, { sameDatabaseAs: app.t, smtp: app.smtp })).t;
    try {
      const { client } = await signUp(app.t);
      const onB = onInstance(b, client);
      expect((await onB.me()).status).toBe(200);
      await accountApi.updateProfile(client, { name: 'Renamed' });
      const deadline = Date.now() + 6000;
      let name: string | null = null;
      while (Date.now() < deadline && name !== 'Renamed') {
        name = (await onB.me()).body.user.name;
        if (name !== 'Renamed') await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(name).toBe('Renamed');
    } finally {
      await b.close();
    }
  });
});
