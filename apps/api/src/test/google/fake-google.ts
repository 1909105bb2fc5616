import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** What the fake Google says about the user in the next flow (OpenID userinfo claims). */
export interface GoogleUser {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
  picture?: string;
}

/** A real OAuth 2.0 server (oauth2-mock-server) standing in for Google, with PKCE checks. */
export class FakeGoogle {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGoogle> {
    const child = fork(join(__dirname, 'fake-google.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: { url?: string }) => (message.url ? resolve(message.url) : reject(new Error('fake Google did not start'))));
      child.once('exit', (code) => reject(new Error(`fake Google exited with ${code}`)));
    });
    return new FakeGoogle(child, url);
  }

  /** Sets who the next sign-in is; resolves once the server knows. */
  async willSignIn(user: GoogleUser): Promise<void> {
    await new Promise<void>((resolve) => {
      this.child.once('message', () => resolve());
      this.child.send({ user });
    });
  }

  /** Env for the API: Google's endpoints pointed at this server. */
  env(callbackPath: string): Record<string, string> {
    return {
      GOOGLE_CLIENT_ID: 'latchkey-test-client',
      GOOGLE_CLIENT_SECRET: 'latchkey-test-secret',
      GOOGLE_CALLBACK_URL: `http://localhost${callbackPath}`,
      GOOGLE_AUTHORIZATION_URL: `${this.url}/authorize`,
      GOOGLE_TOKEN_URL: `${this.url}/token`,
      // passport-google-oauth20 wants the profile URL to end in /userinfo.
      GOOGLE_USERINFO_URL: `${this.url}/userinfo`,
    };
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    await exited;
  }
}
