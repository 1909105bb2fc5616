import { Component, inject } from '@angular/core';
import { Router } from '@angular/router';
import { AuthService, AuthStore } from '@latchkey/auth-angular';

@Component({
  selector: 'app-home-page',
  template: `
    @if (store.user(); as user) {
      <p>Signed in as <strong data-testid="user-email">{{ user.email }}</strong>
        @if (user.name) { ({{ user.name }}) }</p>
    }
    @if (store.isRefreshingSlowly()) {
      <p>Reconnecting…</p>
    }
    <button type="button" (click)="signOut()">Sign out</button>
  `,
})
export class HomePage {
  protected readonly store = inject(AuthStore);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);

  protected signOut(): void {
    // logout() forgets the user in every tab, even when the request fails; where to go next is the app's choice.
    const toLogin = () => void this.router.navigateByUrl('/login');
    this.auth.logout().subscribe({ complete: toLogin, error: toLogin });
  }
}
