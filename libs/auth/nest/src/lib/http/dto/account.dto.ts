import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import type {
  ChangeEmailRequest,
  ChangePasswordRequest,
  DeleteAccountRequest,
  ForgotPasswordRequest,
  ResetPasswordRequest,
  UpdateProfileRequest,
  VerifyEmailRequest,
} from '@latchkey/auth-contract';
import { cleanName } from '../../users/user-store';
import { CONTROL_CHARACTER, MailableEmailField, MailedTokenField, NAME_MAX_LENGTH, NewPasswordField, PresentedPasswordField } from './fields';

/** Optional, but when present it must pass (`IsOptional` would let `null` through as if absent). */
const IsAbsentOr = () => ValidateIf((_dto, value) => value !== undefined);

export class ForgotPasswordDto implements ForgotPasswordRequest {
  @MailableEmailField()
  email!: string;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @MailedTokenField()
  token!: string;

  @NewPasswordField()
  password!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ format: 'password' })
  @PresentedPasswordField()
  currentPassword!: string;

  @NewPasswordField('newPassword')
  newPassword!: string;
}

export class VerifyEmailDto implements VerifyEmailRequest {
  @MailedTokenField()
  token!: string;
}

export class ChangeEmailDto implements ChangeEmailRequest {
  @MailableEmailField('newEmail')
  newEmail!: string;

  @ApiPropertyOptional({ format: 'password', description: 'The current password; required when the account has one' })
  @IsAbsentOr()
  @PresentedPasswordField()
  password?: string;
}

export class DeleteAccountDto implements DeleteAccountRequest {
  @ApiPropertyOptional({ format: 'password', description: 'The current password; required when the account has one' })
  @IsAbsentOr()
  @PresentedPasswordField()
  password?: string;
}

export class UpdateProfileDto implements UpdateProfileRequest {
  /**
   * Required; null (or only blanks and invisible characters) removes the name.
   * The length rule applies to the name as stored, without what is dropped.
   */
  @ApiProperty({ example: 'Ada Lovelace', nullable: true, type: String, maxLength: NAME_MAX_LENGTH })
  @Transform(({ value }) => (typeof value === 'string' && !CONTROL_CHARACTER.test(value) ? cleanName(value) : value))
  @ValidateIf((dto: UpdateProfileDto) => dto.name !== null)
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  @Matches(/^\P{Cc}*$/u, { message: 'name must not contain control characters' })
  name!: string | null;
}
