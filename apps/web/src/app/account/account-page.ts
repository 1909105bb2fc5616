import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AuthStore } from '@latchkey/auth-angular';

@Component({
  selector: 'lk-account-page',
  template: `
    <h1>Your account</h1>
    <p>Signed in as {{ auth.user()?.email }}.</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPage {
  protected readonly auth = inject(AuthStore);
}
