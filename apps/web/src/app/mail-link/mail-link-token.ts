import { DOCUMENT, Injectable, inject } from '@angular/core';
import { Location } from '@angular/common';
import { CanActivateFn, RedirectCommand, Router } from '@angular/router';

/**
 * The token of a mailed link (`/reset-password#token=…`), kept in memory once it is off the
 * address bar. Each is handed out once: a reload or a second visit finds none.
 */
@Injectable({ providedIn: 'root' })
export class MailLinkToken {
  private readonly tokens = new Map<string, string>();

  /** `path`: the page's path, as in `MailLinkPaths` (`/reset-password`). */
  keep(path: string, token: string): void {
    this.tokens.set(path, token);
  }

  take(path: string): string | null {
    const token = this.tokens.get(path) ?? null;
    this.tokens.delete(path);
    return token;
  }
}

/**
 * Guard of the pages mail links open. Takes `#token=…` out of the fragment and off the
 * address bar (and the history entry) before anything else of the page loads — its chunk,
 * its requests — then sends the router on to the same path without the fragment.
 */
export const mailLinkTokenGuard: CanActivateFn = (_route, state) => {
  const fragment = state.root.fragment;
  if (fragment === null) return true;
  const router = inject(Router);
  const target = router.parseUrl(state.url);
  target.fragment = null;
  const cleanUrl = router.serializeUrl(target);
  const history = inject(DOCUMENT).defaultView?.history;
  history?.replaceState(history.state, '', inject(Location).prepareExternalUrl(cleanUrl));
  const token = tokenOf(fragment);
  if (token) inject(MailLinkToken).keep(cleanUrl.split('?')[0], token);
  return new RedirectCommand(target, { replaceUrl: true });
};

/** `token=…` of a fragment the router has already percent-decoded (so no URLSearchParams: `+` stays `+`). */
function tokenOf(fragment: string): string | null {
  const part = fragment.split('&').find((p) => p.startsWith('token='));
  return part ? part.slice('token='.length) || null : null;
}
