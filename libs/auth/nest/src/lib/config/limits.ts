const DAY = 86_400;
/** Ten years: beyond that a TTL is a typo, and Date arithmetic stays exact. */
export const MAX_TTL_SECONDS = 3650 * DAY;
/** Mailed links: a minute to thirty days. */
export const MIN_LINK_TTL_SECONDS = 60;
export const MAX_LINK_TTL_SECONDS = 30 * DAY;
/** How long a just-rotated refresh token may be presented again, at most. */
export const MAX_REUSE_GRACE_SECONDS = 3600;
