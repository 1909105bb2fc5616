import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService, AuthStore } from '@latchkey/auth-angular';

@Component({
  selector: 'lk-home-page',
  imports: [RouterLink],
  template: `
    <h1>Latchkey</h1>
    <p>Your sessions, on every device, in one place.</p>
    @if (auth.isAuthenticated()) {
      <p><a routerLink="/account">Go to your account</a></p>
    } @else {
      <p><a routerLink="/login">Sign in</a> or <a routerLink="/register">create an account</a> to continue.</p>
    }
  `,
  styles: `
    :host {
      display: block;
      max-width: 48rem;
      margin: 1.5rem auto;
    }
    a {
      color: #00458f;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {
  protected readonly auth = inject(AuthStore);

  constructor() {
    // Learn whether this browser is signed in, so the page (and the header) can say so.
    inject(AuthService).restoreSession().subscribe();
  }
}
