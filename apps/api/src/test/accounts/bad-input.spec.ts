import { AuthPaths } from '@latchkey/auth-contract';
import { rowCounts } from '../auth/db';
import { Browser, expectApiError, Method, PASSWORD, signUp } from '../harness';
import { AccountsApp, startAccountsApp } from './accounts-harness';

/** CONTRACT.md "Bad input", for every new endpoint row: a 4xx in Nest's shape, never a 500, nothing written. */
describe('bad input to the account endpoints', () => {
  let app: AccountsApp;
  let signedIn: Browser;
  beforeAll(async () => {
    app = await startAccountsApp();
    signedIn = (await signUp(app.t)).client;
  });
  afterAll(() => app?.close());

  const endpoints: [Method, string, object][] = [
    ['post', AuthPaths.passwordForgot, { email: 'ada@example.com' }],
    ['post', AuthPaths.passwordReset, { token: 'A'.repeat(43), password: PASSWORD }],
    ['post', AuthPaths.passwordChange, { currentPassword: PASSWORD, newPassword: 'another passphrase' }],
    ['post', AuthPaths.emailVerify, { token: 'A'.repeat(43) }],
    ['post', AuthPaths.emailChange, { newEmail: 'new@example.com', password: PASSWORD }],
    ['patch', AuthPaths.me, { name: 'Ada' }],
    ['delete', AuthPaths.me, { password: PASSWORD }],
  ];

  const bodies: [string, (valid: object) => object | string][] = [
    ['malformed JSON', () => '{"email": '],
    ['an array', () => '[]'],
    ['a string', () => '"hello"'],
    ['an unknown field', (valid) => ({ ...valid, isAdmin: true })],
    ['__proto__', (valid) => `${JSON.stringify(valid).slice(0, -1)},"__proto__":{"isAdmin":true}}`],
    ['constructor', (valid) => `${JSON.stringify(valid).slice(0, -1)},"constructor":{"prototype":{"isAdmin":true}}}`],
    ['wrong types', (valid) => Object.fromEntries(Object.keys(valid).map((key) => [key, { nested: [1, 2] }]))],
    ['nulls', (valid) => Object.fromEntries(Object.keys(valid).map((key) => [key, key === 'name' ? 7 : null]))],
    ['a 2 MB string', (valid) => Object.fromEntries(Object.keys(valid).map((key) => [key, 'x'.repeat(2_000_000)]))],
  ];

  for (const [method, path, valid] of endpoints) {
    it.each(bodies)(`${method.toUpperCase()} /${path}: %s → 4xx, nothing written`, async (_case, body) => {
      const before = await rowCounts(app.t);
      const res = await signedIn.send(method, path, { body: body(valid) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectApiError(res, res.status);
      expect(await rowCounts(app.t)).toEqual(before);
    });
  }

  it('the signed-in user survived all of it', async () => {
    expect((await signedIn.me()).status).toBe(200);
  });
});
