/** Request bodies of ../shared/CONTRACT.md "Endpoints". */
export interface LoginRequest {
  email: string;
  password: string;
}

export interface RegisterRequest {
  email: string;
  password: string;
  name?: string;
}

export interface ForgotPasswordRequest {
  email: string;
}

export interface ResetPasswordRequest {
  token: string;
  password: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface VerifyEmailRequest {
  token: string;
}

export interface ChangeEmailRequest {
  newEmail: string;
  /** Required when the account has a password (re-authentication). */
  password?: string;
}

export interface UpdateProfileRequest {
  name: string | null;
}

export interface DeleteAccountRequest {
  /** Required when the account has a password (re-authentication). */
  password?: string;
}
