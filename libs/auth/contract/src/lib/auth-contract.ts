export function authContract(): string {
  return 'auth-contract';
}
