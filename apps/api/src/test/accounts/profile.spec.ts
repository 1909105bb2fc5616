import { Browser, expectApiError, signUp, sleep } from '../harness';
import { AccountsApp, startAccountsApp } from './accounts-harness';

/** CONTRACT.md `PATCH /auth/me` `{name}`. */
describe('PATCH /auth/me', () => {
  let app: AccountsApp;
  beforeAll(async () => (app = await startAccountsApp()));
  afterAll(() => app?.close());

  it('200 {user, accessTokenExpiresAt}; /auth/me shows the new name at once', async () => {
    const { client, user } = await signUp(app.t);
    const res = await client.updateProfile({ name: 'Ada Lovelace' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ user: { ...user, name: 'Ada Lovelace' }, accessTokenExpiresAt: new Date(client.claims().exp * 1000).toISOString() });
    expect((await client.me()).body.user.name).toBe('Ada Lovelace');
  });

  it('stores names without bidi-override and zero-width characters; null or nothing visible removes the name', async () => {
    const { client } = await signUp(app.t);
    expect((await client.updateProfile({ name: '  \u202EGrace\u202C Hop\u200Bper ' })).body.user.name).toBe('Grace Hopper');
    expect((await client.updateProfile({ name: null })).body.user.name).toBeNull();
    await client.updateProfile({ name: 'Grace' });
    expect((await client.updateProfile({ name: '\u200B \uFEFF' })).body.user.name).toBeNull();
    expect((await client.updateProfile({ name: 'x'.repeat(100) })).status).toBe(200);
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
    await client.updateProfile({ name: 'Kept' });
    expectApiError(await client.updateProfile(body), 400);
    expect((await client.me()).body.user.name).toBe('Kept');
  });

  it('401 without an access token; 403 without the XSRF header; a Bearer token needs none', async () => {
    expectApiError(await new Browser(app.t).updateProfile({ name: 'Nobody' }), 401);
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
      const onB = client.on(b);
      expect((await onB.me()).status).toBe(200);
      await client.updateProfile({ name: 'Renamed' });
      const deadline = Date.now() + 6000;
      let name: string | null = null;
      while (Date.now() < deadline && name !== 'Renamed') {
        name = (await onB.me()).body.user.name;
        if (name !== 'Renamed') await sleep(200);
      }
      expect(name).toBe('Renamed');
    } finally {
      await b.close();
    }
  });
});
