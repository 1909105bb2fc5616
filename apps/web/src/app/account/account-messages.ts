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
