import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { AsCleanName, EmailField, MailableEmailField, NAME_MAX_LENGTH, NewPasswordField, PresentedPasswordField } from './fields';

export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './fields';

export class LoginDto {
  @EmailField()
  email!: string;

  /** No length rule here: a wrong password is a 401, not a hint about the policy. */
  @ApiProperty({ format: 'password' })
  @PresentedPasswordField()
  password!: string;
}

export class RegisterDto {
  @MailableEmailField()
  email!: string;

  @NewPasswordField()
  password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @AsCleanName()
  @IsOptional()
  @IsString()
  @MaxLength(NAME_MAX_LENGTH)
  // PostgreSQL text cannot hold NUL (the insert would fail with a 500); no control character belongs in a name.
  @Matches(/^\P{Cc}*$/u, { message: 'name must not contain control characters' })
  name?: string;
}
