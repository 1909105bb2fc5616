import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  afterNextRender,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { HttpErrorResponse } from '@angular/common/http';
import { Router } from '@angular/router';
import { MatButton } from '@angular/material/button';
import { forkJoin } from 'rxjs';
import { AuthProvider, SessionInfo, User } from '@latchkey/auth-contract';
import { AuthService, AuthStore } from '@latchkey/auth-angular';
import { SnackBarAuthMessenger } from '../snack-bar-auth-messenger';
import { serverErrorMessage } from '../sign-in/server-error';
import { deviceName } from './device-name';
import { DeleteAccount } from './delete-account';
import { EmailEditor } from './email-editor';
import { EmailVerificationBanner } from './email-verification-banner';
import { NameEditor } from './name-editor';
import { PasswordEditor } from './password-editor';

export interface SessionView extends SessionInfo {
  /** "Chrome on Linux". */
  readonly device: string;
  readonly createdAtText: string;
  readonly lastUsedAtText: string;
}

/** In the reader's own locale; Intl instead of DatePipe keeps locale data out of the bundle. */
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function toView(session: SessionInfo): SessionView {
  return {
    ...session,
    device: deviceName(session.userAgent),
    createdAtText: DATE_TIME.format(new Date(session.createdAt)),
    lastUsedAtText: DATE_TIME.format(new Date(session.lastUsedAt)),
  };
}

type LoadState = 'loading' | 'ready' | 'error';
/** What is being signed out right now: a session id, `sign-out` or `sign-out-everywhere`. */
type Busy = string | null;

const PROVIDER_NAMES: Record<AuthProvider, string> = { password: 'Password', google: 'Google' };

export const ACCOUNT_MESSAGES = {
  loadFailed: 'We could not load your account.',
  sessionEnded: (device: string) => `Signed out the session on ${device}.`,
  sessionAlreadyEnded: 'That session had already ended.',
  signOutFailed: 'We could not sign that session out. Please try again.',
  signedOutEverywhere: 'Signed out on every device.',
  signOutEverywhereFailed: 'You are signed out here, but we could not reach Latchkey to sign out your other devices.',
} as const;

/** The signed-in user: their details and the forms to change them, their sessions, and the ways to end them. */
@Component({
  selector: 'lk-account-page',
  imports: [MatButton, NameEditor, EmailEditor, PasswordEditor, EmailVerificationBanner, DeleteAccount],
  templateUrl: './account-page.html',
  styleUrl: './account-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccountPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly messenger = inject(SnackBarAuthMessenger);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly sessionsHeading = viewChild<ElementRef<HTMLElement>>('sessionsHeading');

  protected readonly state = signal<LoadState>('loading');
  protected readonly loadError = signal<string | null>(null);
  /** The store's user: a saved name or a verified address (in any tab) shows at once. */
  protected readonly user = inject(AuthStore).user;
  protected readonly sessions = signal<SessionView[]>([]);
  protected readonly busy = signal<Busy>(null);
  /** Read out by screen readers after an action that changes the list. */
  protected readonly announcement = signal('');
  protected readonly actionError = signal<string | null>(null);

  constructor() {
    this.load();
  }

  /** `/auth/me` and `/auth/sessions` together: after an expiry both meet one shared refresh. */
  protected load(): void {
    this.state.set('loading');
    this.loadError.set(null);
    forkJoin({ user: this.auth.me(), sessions: this.auth.sessions() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ sessions }) => {
          this.sessions.set(sortSessions(sessions).map(toView));
          this.state.set('ready');
        },
        error: (error: unknown) => {
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
      .subscribe({ next: (sessions) => this.sessions.set(sortSessions(sessions).map(toView)), error: () => undefined });
  }

  protected providerNames(user: User): string {
    return user.providers.map((p) => PROVIDER_NAMES[p] ?? p).join(', ');
  }

  protected signOutSession(session: SessionView): void {
    if (session.current) {
      this.signOut();
      return;
    }
    if (this.busy()) return;
    this.busy.set(session.id);
    this.actionError.set(null);
    this.auth
      .deleteSession(session.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.removeSession(session, ACCOUNT_MESSAGES.sessionEnded(session.device)),
        error: (error: unknown) => {
          this.busy.set(null);
          if (error instanceof HttpErrorResponse && error.status === 404) {
            this.removeSession(session, ACCOUNT_MESSAGES.sessionAlreadyEnded);
            return;
          }
          this.actionError.set(serverErrorMessage(error, ACCOUNT_MESSAGES.signOutFailed));
        },
      });
  }

  /** Ends this session; the other tabs of this browser follow (the auth library tells them). */
  protected signOut(): void {
    if (this.busy()) return;
    this.busy.set('sign-out');
    // Signed out locally even if the call fails: the user asked to leave.
    this.auth.logout().subscribe({ next: () => this.toLogin(), error: () => this.toLogin() });
  }

  /** Ends every session of the account, this one included. */
  protected signOutEverywhere(): void {
    if (this.busy()) return;
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

  private removeSession(session: SessionView, message: string): void {
    this.busy.set(null);
    this.sessions.update((list) => list.filter((s) => s.id !== session.id));
    this.announcement.set(message);
    // The button that had focus is gone: keep the keyboard in the list's section.
    afterNextRender(() => this.sessionsHeading()?.nativeElement.focus(), { injector: this.injector });
  }
}

/** This device first, then the most recently used. */
function sortSessions(sessions: SessionInfo[]): SessionInfo[] {
  return [...sessions].sort(
    (a, b) => Number(b.current) - Number(a.current) || Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt),
  );
}
