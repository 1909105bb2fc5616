import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { MatAnchor } from '@angular/material/button';
import { AuthService, AuthStore } from '@latchkey/auth-angular';

/** What Latchkey does, and the way in. Light on purpose: it is the first page many people load. */
@Component({
  selector: 'lk-home-page',
  imports: [RouterLink, MatAnchor],
  templateUrl: './home-page.html',
  styleUrl: './home-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {
  protected readonly auth = inject(AuthStore);

  constructor() {
    // Learn whether this browser is signed in, so the page (and the header) can say so.
    inject(AuthService).restoreSession().subscribe();
  }
}
