import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';
import { AuthStore } from '@latchkey/auth-angular';
import { NetworkStatus } from './network-status';

@Component({
  selector: 'lk-root',
  imports: [RouterLink, RouterOutlet],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly network = inject(NetworkStatus);
  protected readonly auth = inject(AuthStore);
}
