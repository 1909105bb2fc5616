import { ChangeDetectionStrategy, Component } from '@angular/core';

@Component({
  selector: 'lk-login-page',
  template: `<h1>Sign in</h1>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {}
