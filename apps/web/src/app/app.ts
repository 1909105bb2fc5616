import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';
import { AuthStore } from '@latchkey/auth-angular';
import { NetworkStatus } from './network-status';
import { PageFocus } from './page-focus';

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
  /** Who is signed in, as the header names them: their name, else their email address. */
  protected readonly accountLabel = computed(() => this.auth.user()?.name || this.auth.user()?.email || 'Your account');

  constructor() {
    inject(PageFocus).start();
  }
}
