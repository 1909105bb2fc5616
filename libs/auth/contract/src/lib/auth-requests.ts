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
