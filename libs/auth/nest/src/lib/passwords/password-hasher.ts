import { Injectable } from '@nestjs/common';
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * `Algorithm.Argon2id`. The typings declare `Algorithm` as a `const enum`,
 * which is empty at run time when each file is compiled on its own (webpack,
 * Jest), so the value is written out here.
 */
const ARGON2ID = 2 as Algorithm.Argon2id;

/** OWASP's argon2id profile: 19 MiB, 2 passes, 1 lane. */
export const ARGON2ID_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2id hashing; unknown accounts cost the same as wrong passwords. */
@Injectable()
export class PasswordHasher {
  /** Verified against when the email is unknown, so timing does not reveal accounts. */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, ARGON2ID_OPTIONS);
  }

  /** False for a wrong password, and (after the same work) when there is no hash. */
  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    if (!passwordHash) {
      this.dummyHash ??= this.hash('latchkey-dummy-password');
      await safeVerify(await this.dummyHash, password);
      return false;
    }
    return safeVerify(passwordHash, password);
  }
}

/** False for anything that is not a match, including input the binding throws on synchronously. */
async function safeVerify(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
