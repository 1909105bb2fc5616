import { Injectable, inject } from '@angular/core';
import { Router, UrlTree } from '@angular/router';
import { AUTH_CONFIG } from './auth.config';

/** Builds and follows links to the app's sign-in route. */
@Injectable({ providedIn: 'root' })
export class LoginRedirect {
  private readonly router = inject(Router);
  private readonly config = inject(AUTH_CONFIG);

  /** `/login?returnUrl=…`; no returnUrl when it would point back at the login page. */
  urlTree(returnUrl: string | null): UrlTree {
    const tree = this.router.parseUrl(this.config.loginPath);
    if (returnUrl && !this.isLoginUrl(returnUrl)) {
      tree.queryParams = { ...tree.queryParams, returnUrl };
    }
    return tree;
  }

  /** Where the user is, or is going if a navigation is under way. */
  currentUrl(): string {
    const navigation = this.router.currentNavigation();
    const target = navigation?.finalUrl ?? navigation?.extractedUrl;
    return target ? this.router.serializeUrl(target) : this.router.url;
  }

  navigateToLogin(options: { withReturnUrl: boolean }): void {
    const returnUrl = options.withReturnUrl ? this.currentUrl() : null;
    void this.router.navigateByUrl(this.urlTree(returnUrl));
  }

  private isLoginUrl(url: string): boolean {
    const path = url.split(/[?#]/)[0];
    return path === this.config.loginPath;
  }
}
