/** The API's limits on what a user types (CONTRACT.md, `POST /auth/register`, `PATCH /auth/me`). */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;
