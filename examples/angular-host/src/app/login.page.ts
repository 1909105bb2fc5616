import { Component, inject, input, signal } from '@angular/core';
import { HttpErrorResponse } from '@angular/common/http';
import { Router } from '@angular/router';
import { AuthService } from '@latchkey/auth-angular';
import { safeReturnUrl } from '@latchkey/auth-contract';

@Component({
  selector: 'app-login-page',
  template: `
    <h2>Sign in</h2>
    <form (submit)="signIn($event, email.value, password.value)">
      <label>Email <input #email name="email" type="email" autocomplete="username" required /></label>
      <label>Password <input #password name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit" [disabled]="busy()">Sign in</button>
      @if (error(); as message) {
        <p class="error" role="alert">{{ message }}</p>
      }
    </form>
  `,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  /** `/login?returnUrl=…`, set by authGuard (bound by withComponentInputBinding). */
  readonly returnUrl = input<string | undefined>();
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected signIn(event: Event, email: string, password: string): void {
    event.preventDefault();
    this.busy.set(true);
    this.error.set(null);
    this.auth.login({ email, password }).subscribe({
      next: () => {
        void this.router.navigateByUrl(safeReturnUrl(this.returnUrl(), { excludedPaths: ['/login'] }));
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(messageFor(error));
      },
    });
  }
}

function messageFor(error: unknown): string {
  if (!(error instanceof HttpErrorResponse)) return 'Something went wrong.';
  if (error.status === 401) return 'Wrong email or password.';
  if (error.status === 429) return 'Too many attempts. Try again later.';
  if (error.status === 0) return 'No connection to the server.';
  return 'Sign-in failed. Please try again.';
}
