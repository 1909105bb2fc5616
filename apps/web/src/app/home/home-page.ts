import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'lk-home-page',
  imports: [RouterLink],
  template: `
    <h1>Latchkey</h1>
    <p>Your sessions, on every device, in one place.</p>
    <p><a routerLink="/login">Sign in</a> to continue.</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {}
