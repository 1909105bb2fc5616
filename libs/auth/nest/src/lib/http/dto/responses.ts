import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { ApiError, AuthProvider, AuthResponse, ProvidersResponse, SessionInfo, User, UserResponse, VerificationRequiredResponse } from '@latchkey/auth-contract';

/*
 * The bodies the API answers with, for the OpenAPI document only: the
 * handlers return the contract's plain objects. Each class implements the
 * contract's type, so a field added there fails to compile until it is
 * documented here. Schema names are the contract's.
 */

const PROVIDERS: AuthProvider[] = ['password', 'google'];

@ApiSchema({ name: 'User', description: 'Never carries a password hash or a token.' })
export class UserBody implements User {
  @ApiProperty({ description: 'The user id (a UUID with the built-in user store; a host store chooses its own ids)', example: '0b6a3f0e-8f0c-4d3b-9a56-6d2f8e1c2a10' })
  id!: string;

  @ApiProperty({ format: 'email', example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ description: 'The user proved the address (a mailed link, a password reset, or Google vouched for it)' })
  emailVerified!: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  name!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uri', description: 'Profile picture URL (from Google)' })
  picture!: string | null;

  @ApiProperty({ enum: PROVIDERS, isArray: true, description: 'How the user can sign in', example: ['password'] })
  providers!: AuthProvider[];
}

@ApiSchema({ name: 'AuthResponse' })
export class AuthResponseBody implements AuthResponse {
  @ApiProperty({ type: () => UserBody })
  user!: UserBody;

  @ApiProperty({ format: 'date-time', description: 'When the access token expires (ISO-8601)' })
  accessTokenExpiresAt!: string;
}

@ApiSchema({ name: 'VerificationRequiredResponse', description: 'Registered with `EMAIL_VERIFICATION=required`: no session until the mailed link is used.' })
export class VerificationRequiredBody implements VerificationRequiredResponse {
  @ApiProperty({ type: () => UserBody })
  user!: UserBody;

  @ApiProperty({ type: Boolean, enum: [true] })
  verificationRequired!: true;
}

@ApiSchema({ name: 'UserResponse' })
export class UserResponseBody implements UserResponse {
  @ApiProperty({ type: () => UserBody })
  user!: UserBody;
}

@ApiSchema({ name: 'SessionInfo' })
export class SessionInfoBody implements SessionInfo {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'The sign-in that opened the session' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', description: 'The last sign-in or refresh' })
  lastUsedAt!: string;

  @ApiProperty({ format: 'date-time', description: 'When the session ends unless refreshed (never past its absolute limit)' })
  expiresAt!: string;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The client address of the last sign-in or refresh (after TRUST_PROXY)', example: '203.0.113.7' })
  ipAddress!: string | null;

  @ApiProperty({ description: 'True for the session the request was made with' })
  current!: boolean;
}

@ApiSchema({ name: 'ProvidersResponse', description: 'The sign-in methods this server offers.' })
export class ProvidersBody implements ProvidersResponse {
  @ApiProperty({ type: Boolean, enum: [true] })
  password!: true;

  @ApiProperty({ description: 'Whether Google sign-in is configured' })
  google!: boolean;
}

@ApiSchema({ name: 'ApiError', description: 'Every error of the API, in Nest’s shape; a client decides on the status alone.' })
export class ApiErrorBody implements ApiError {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  statusCode!: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'What went wrong; validation failures list one message per problem',
    example: ['email must be an email address'],
  })
  message!: string | string[];

  @ApiProperty({ description: 'The status’s reason phrase', example: 'Bad Request' })
  error!: string;
}
