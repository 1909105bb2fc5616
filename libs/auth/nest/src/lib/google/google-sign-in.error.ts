import type { GoogleErrorCode } from '@latchkey/auth-contract';

/** A Google sign-in that ends on `/login?error=<code>`; `cause` is only logged. */
export class GoogleSignInError extends Error {
  constructor(
    readonly code: GoogleErrorCode,
    override readonly cause?: unknown,
  ) {
    super(code);
    this.name = 'GoogleSignInError';
  }
}
