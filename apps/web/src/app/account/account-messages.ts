/** What the account page's forms tell the user, in one place. */
export const ACCOUNT_FORM_MESSAGES = {
  nameSaved: 'Name saved.',
  nameFailed: 'We could not save your name. Please try again.',
  verificationSent: (email: string) => `We sent a new verification link to ${email}.`,
  verificationFailed: 'We could not send the link. Please try again.',
  passwordChanged: 'Password changed. Your other sessions were signed out.',
  wrongCurrentPassword: 'Your current password is not right.',
  passwordFailed: 'We could not change your password. Please try again.',
  emailChangeSent: (email: string) =>
    `We sent a confirmation link to ${email}. Your address changes when you open it.`,
  sameEmail: 'That is already your address.',
  emailTaken: 'An account with this email already exists.',
  wrongPassword: 'That password is not right.',
  emailChangeFailed: 'We could not start the change. Please try again.',
  /** The account has no password and its sign-in is over 10 minutes old (CONTRACT.md, Re-authentication). */
  signInAgain: 'For your security, sign in again, then try within 10 minutes.',
  accountDeleted: 'Your account was deleted.',
  deleteFailed: 'We could not delete your account. Please try again.',
} as const;

/** What the account page and its session list tell the user, in one place. */
export const ACCOUNT_MESSAGES = {
  loadFailed: 'We could not load your account.',
  /** `device`: "Chrome on Linux (203.0.113.7)", so two sessions of one browser are told apart. */
  sessionEnded: (device: string) => `Signed out the session on ${device}.`,
  sessionAlreadyEnded: 'That session had already ended.',
  signOutFailed: 'We could not sign that session out. Please try again.',
  signedOutEverywhere: 'Signed out on every device.',
  signOutEverywhereFailed: 'You are signed out here, but we could not reach Latchkey to sign out your other devices.',
  offline: "You're offline.",
  unreachable: "Latchkey can't be reached right now.",
  offlineData:
    'This is your account as this device last saw it, so it may be out of date. Changes are off until the connection is back.',
  sessionsUnavailable: "Your sessions can't be shown right now: listing them needs a connection. They appear here once it is back.",
  signOutEverywhereNeedsConnection: 'Signing out everywhere needs a connection.',
} as const;

/** The account page's note on why its forms are off (offline); their buttons point at it. */
export const READ_ONLY_NOTE_ID = 'account-read-only-note';
