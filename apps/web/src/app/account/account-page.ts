import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { HttpErrorResponse } from '@angular/common/http';
import { Router } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { Subscription, forkJoin, from, switchMap } from 'rxjs';
import { AuthProvider, SessionInfo, User } from '@latchkey/auth-contract';
import { AuthService, AuthStore } from '@latchkey/auth-angular';
import { NetworkStatus } from '../network-status';
import { SnackBarAuthMessenger } from '../snack-bar-auth-messenger';
import { ACCOUNT_MESSAGES, READ_ONLY_NOTE_ID } from './account-messages';
import { DeleteAccount } from './delete-account';
import { EmailEditor } from './email-editor';
import { EmailVerificationBanner } from './email-verification-banner';
import { NameEditor } from './name-editor';
import { isUnreachable, serverErrorMessage } from '../sign-in/server-error';
import { PasswordEditor } from './password-editor';
import { SessionList } from './session-list';

/**
 * `offline`: the API could not be reached; the page shows the user the store holds (the last
 * one known here after an offline reload), read-only, and no sessions.
 */
type LoadState = 'loading' | 'ready' | 'offline' | 'error';
/** What the page is signing out right now. */
type Busy = 'sign-out' | 'sign-out-everywhere' | null;

/** Offline but the browser says online: the first try again after this, then twice as long each time… */
const RETRY_FIRST_MS = 5_000;
/** …up to this. */
const RETRY_MAX_MS = 60_000;

const PROVIDER_NAMES: Record<AuthProvider, string> = { password: 'Password', google: 'Google' };

/** The signed-in user: their details and the forms to change them, their sessions, and the ways to end them. */
@Component({
  selector: 'lk-account-page',
  imports: [MatButton, NameEditor, EmailEditor, PasswordEditor, EmailVerificationBanner, DeleteAccount, SessionList],
  templateUrl: './account-page.html',
  styleUrl: './account-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPage {
  private readonly auth = inject(AuthService);
  private readonly store = inject(AuthStore);
  private readonly network = inject(NetworkStatus);
  private readonly router = inject(Router);
  private readonly messenger = inject(SnackBarAuthMessenger);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly messages = ACCOUNT_MESSAGES;
  protected readonly readOnlyNoteId = READ_ONLY_NOTE_ID;
  protected readonly state = signal<LoadState>('loading');
  protected readonly loadError = signal<string | null>(null);
  /** The store's user: a saved name or a verified address (in any tab) shows at once; offline, the last one known. */
  protected readonly user = this.store.user;
  /** Null until fetched, and while they cannot be. */
  protected readonly sessions = signal<SessionInfo[] | null>(null);
  protected readonly busy = signal<Busy>(null);
  /** Loads in a row that met no network: the next try waits longer. */
  private readonly networkFailures = signal(0);
  private loading: Subscription | null = null;
  /** The dialog is open (or loading): a second click opens no second one. */
  private isConfirming = false;
  protected readonly isReadOnly = computed(() => this.state() === 'offline');
  /** The browser's own word decides which sentence; either way the data may be old. */
  protected readonly offlineTitle = computed(() =>
    this.network.isOnline() ? ACCOUNT_MESSAGES.unreachable : ACCOUNT_MESSAGES.offline,
  );

  constructor() {
    this.load();
    // Back online, load again by itself. After an offline reload the auth library first asks the
    // API who is signed in (on `online`); the page asks once that answer is in (isStale() false).
    const canReach = computed(() => this.network.isOnline() && !this.store.isStale());
    effect(() => {
      if (canReach() && untracked(this.state) === 'offline') untracked(() => this.load());
    });
    // And in case that one question failed too (the connection came back slowly), or the browser
    // was online all along but Latchkey was not: try again now and then, less and less often.
    effect((onCleanup) => {
      const failures = this.networkFailures();
      if (this.state() !== 'offline' || !this.network.isOnline()) return;
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
      const timer = setTimeout(() => this.load(), delay);
      onCleanup(() => clearTimeout(timer));
    });
  }

  /** `/auth/me` and `/auth/sessions` together: after an expiry both meet one shared refresh. */
  protected load(): void {
    if (this.loading && !this.loading.closed) return;
    // Offline, the last known page stays on screen until the answer is in.
    if (this.state() !== 'offline') this.state.set('loading');
    this.loadError.set(null);
    this.loading = forkJoin({ user: this.auth.me(), sessions: this.auth.sessions() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ sessions }) => {
          this.sessions.set(sessions);
          this.networkFailures.set(0);
          this.state.set('ready');
        },
        error: (error: unknown) => {
          if (isUnreachable(error)) {
            this.sessions.set(null);
            this.networkFailures.update((n) => n + 1);
            this.state.set('offline');
            return;
          }
          // A 401 here means the session is over: the auth library is already taking the user to login.
          this.loadError.set(serverErrorMessage(error, ACCOUNT_MESSAGES.loadFailed));
          this.state.set('error');
        },
      });
  }

  /** After a password change the user's other sessions are gone: show the list as it is now. */
  protected reloadSessions(): void {
    this.auth
      .sessions()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({ next: (sessions) => this.sessions.set(sessions), error: () => undefined });
  }

  protected providerNames(user: User): string {
    return user.providers.map((p) => PROVIDER_NAMES[p] ?? p).join(', ');
  }

  /** Ends this session; the other tabs of this browser follow (the auth library tells them). Works offline too. */
  protected signOut(): void {
    if (this.busy()) return;
    this.busy.set('sign-out');
    // Signed out locally even if the call fails: the user asked to leave.
    this.auth.logout().subscribe({ next: () => this.toLogin(), error: () => this.toLogin() });
  }

  /** Asks first (a Material dialog, loaded on this first use), then ends every session of the account. */
  protected confirmSignOutEverywhere(): void {
    if (this.busy() || this.isConfirming || this.isReadOnly()) return;
    this.isConfirming = true;
    from(import('./sign-out-everywhere-dialog'))
      .pipe(
        switchMap(({ confirmSignOutEverywhere }) => confirmSignOutEverywhere(this.injector)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (confirmed) => {
          this.isConfirming = false;
          if (confirmed) this.signOutEverywhere();
        },
        error: () => (this.isConfirming = false),
      });
  }

  private signOutEverywhere(): void {
    this.busy.set('sign-out-everywhere');
    this.auth.logoutAll().subscribe({
      next: () => {
        void this.messenger.show(ACCOUNT_MESSAGES.signedOutEverywhere);
        this.toLogin();
      },
      error: (error: unknown) => {
        // A 401 is the auth library's to announce; anything else left the other devices signed in.
        if (!(error instanceof HttpErrorResponse && error.status === 401)) {
          void this.messenger.show(ACCOUNT_MESSAGES.signOutEverywhereFailed);
        }
        this.toLogin();
      },
    });
  }

  private toLogin(): void {
    void this.router.navigateByUrl('/login');
  }
}
