import { AuthPaths } from '@latchkey/auth-contract';
import { Answer, Browser, Target } from '../harness';
import type { FakeGoogle, GoogleUser } from './fake-google';

export interface GoogleSignIn {
  /** The browser, holding whatever cookies the callback set: it can call the API afterwards. */
  client: Browser;
  /** `/auth/google`'s answer: a 302 to Google's authorize endpoint. */
  start: Answer;
  authorize: URL;
  /** Where Google sent the browser back to. */
  callback: URL;
  /** The callback's answer. */
  landing: Answer;
}

/**
 * A browser signing in with Google, the whole redirect dance: `/auth/google`
 * (with `returnUrl` if given), the provider's consent (the fake signs `user`
 * in at once), the callback. Fails when either redirect is missing.
 */
export async function signInWithGoogle(
  target: Target,
  google: FakeGoogle,
  user: GoogleUser,
  options: { client?: Browser; returnUrl?: string } = {},
): Promise<GoogleSignIn> {
  const client = options.client ?? new Browser(target);
  await google.willSignIn(user);
  const start = await client.get(options.returnUrl === undefined ? AuthPaths.google : `${AuthPaths.google}?returnUrl=${encodeURIComponent(options.returnUrl)}`);
  if (start.status !== 302) throw new Error(`/auth/google answered ${start.status}: ${start.text}`);
  const authorize = new URL(start.headers['location'] as string);
  const atGoogle = await fetch(authorize, { redirect: 'manual' });
  if (atGoogle.status !== 302) throw new Error(`Google's authorize endpoint answered ${atGoogle.status}`);
  const callback = new URL(atGoogle.headers.get('location') as string);
  const landing = await client.get(`${callback.pathname}${callback.search}`);
  return { client, start, authorize, callback, landing };
}
