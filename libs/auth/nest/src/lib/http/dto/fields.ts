import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength, ValidateBy } from 'class-validator';
import { isMailboxAddress } from '../../config/mail-settings';
import { cleanName, normaliseEmail } from '../../users/user-store';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;
/** Longer than any password the policy allows, so a wrong one is a 401/403, never a hint about the policy. */
export const PRESENTED_PASSWORD_MAX_LENGTH = 1024;

const EMAIL_MESSAGE = 'email must be an email address';
export const CONTROL_CHARACTER = /\p{Cc}/u;

/** Validated as it will be stored: the NFKC form of a full-width address is the ASCII one, which `IsEmail` accepts. */
export const AsNormalisedEmail = () => Transform(({ value }) => (typeof value === 'string' ? normaliseEmail(value) : value));

/**
 * Invisible and direction-changing characters are dropped (a name of only those is no name);
 * a control character is left in place, for the rule that refuses it.
 */
export const AsCleanName = () => Transform(({ value }) => (typeof value === 'string' && !CONTROL_CHARACTER.test(value) ? (cleanName(value) ?? undefined) : value));

/** An address Latchkey can mail: one mailbox, nothing the outbox would refuse (a quoted local part, a second recipient). */
const IsMailbox = (message: string) =>
  ValidateBy({ name: 'isMailbox', validator: { validate: (value) => typeof value === 'string' && isMailboxAddress(value), defaultMessage: () => message } });

/** An email to sign in with (normalised). */
export const EmailField = (property = 'email') =>
  applyDecorators(
    ApiProperty({ example: 'ada@example.com' }),
    AsNormalisedEmail(),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: EMAIL_MESSAGE.replace('email', property) }),
  );

/** An email Latchkey will send mail to (register, forgot, change). */
export const MailableEmailField = (property = 'email') => applyDecorators(EmailField(property), IsMailbox(EMAIL_MESSAGE.replace('email', property)));

/** A password being chosen, under the policy. */
export const NewPasswordField = (property = 'password') =>
  applyDecorators(
    ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
    IsString(),
    Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: `${property} must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters` }),
  );

/** A password presented to prove who you are: no policy rule, only a bound. */
export const PresentedPasswordField = () => applyDecorators(IsString(), MaxLength(PRESENTED_PASSWORD_MAX_LENGTH));

/** The token of a mailed link; its form is checked by the service, with the one "invalid link" message. */
export const MailedTokenField = () => applyDecorators(ApiProperty({ description: 'The token from the link’s fragment (`#token=…`)' }), IsString(), MaxLength(256));
