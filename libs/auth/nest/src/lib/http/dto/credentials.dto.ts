import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { cleanName, normaliseEmail } from '../../users/user-store';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const CONTROL_CHARACTER = /\p{Cc}/u;

/** Validated as it will be stored: the NFKC form of a full-width address is the ASCII one, which `IsEmail` accepts. */
const AsNormalisedEmail = () => Transform(({ value }) => (typeof value === 'string' ? normaliseEmail(value) : value));

/**
 * Invisible and direction-changing characters are dropped (a name of only those is no name);
 * a control character is left in place, for the rule below to refuse.
 */
const AsCleanName = () => Transform(({ value }) => (typeof value === 'string' && !CONTROL_CHARACTER.test(value) ? (cleanName(value) ?? undefined) : value));

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @AsNormalisedEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  /** No length rule here: a wrong password is a 401, not a hint about the policy. */
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com' })
  @AsNormalisedEmail()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: `password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters` })
  password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @AsCleanName()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  // PostgreSQL text cannot hold NUL (the insert would fail with a 500); no control character belongs in a name.
  @Matches(/^\P{Cc}*$/u, { message: 'name must not contain control characters' })
  name?: string;
}
