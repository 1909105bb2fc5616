import type { Response } from 'supertest';
import { AuthClient } from '../auth/auth-client';
import type { FakeGoogle, GoogleUser } from '../google/fake-google';
import type { TestApp } from '../test-app';

/**
 * A browser signing in with Google, the whole redirect dance: `/auth/google`,
 * the provider's consent (the fake signs `user` in at once), the callback.
 * The client keeps the cookies, so it can call the API afterwards.
 */
export async function signInWithGoogle(t: TestApp, google: FakeGoogle, user: GoogleUser, client = new AuthClient(t)): Promise<{ client: AuthClient; landing: Response }> {
  await google.willSignIn(user);
  const start = await client.get('/api/v1/auth/google');
  if (start.status !== 302) throw new Error(`/auth/google answered ${start.status}`);
  const atGoogle = await fetch(start.headers['location'], { redirect: 'manual' });
  const callback = new URL(atGoogle.headers.get('location') as string);
  const landing = await client.get(`${callback.pathname}${callback.search}`);
  return { client, landing };
}
