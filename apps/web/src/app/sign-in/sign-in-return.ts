import type { ReturnUrlOptions } from '@latchkey/auth-contract';

/** Where a signed-in user lands when no (safe) returnUrl was given. */
export const ACCOUNT_PAGE = '/account';

/**
 * The sign-in pages' rules for `?returnUrl=`, applied by the contract's
 * `safeReturnUrl`: never back to a sign-in form, which would just show itself again.
 */
export const SIGN_IN_RETURN_URL = {
  fallback: ACCOUNT_PAGE,
  excludedPaths: ['/login', '/register'],
} as const satisfies ReturnUrlOptions;
