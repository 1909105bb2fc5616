import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  LOCALE_ID,
  afterNextRender,
  computed,
  inject,
  input,
  model,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { HttpErrorResponse } from '@angular/common/http';
import { MatButton } from '@angular/material/button';
import { SessionInfo } from '@latchkey/auth-contract';
import { AuthService } from '@latchkey/auth-angular';
import { SnackBarAuthMessenger } from '../snack-bar-auth-messenger';
import { ACCOUNT_MESSAGES } from './account-messages';
import { DeviceDescription, describeDevice } from './device-name';

import { timeAgo } from './relative-time';
import { serverErrorMessage } from '../sign-in/server-error';

/** One row as shown: what the device is, where from, and when. */
interface SessionRow {
  readonly id: string;
  readonly current: boolean;
  readonly device: DeviceDescription;
  /** "Phone · 203.0.113.7": the kind of device and the address, as far as known. */
  readonly where: string;
  /** "Chrome on Linux (203.0.113.7)": what the snack bar names after a sign-out. */
  readonly label: string;
  readonly lastUsedAt: string;
  readonly lastUsedAgo: string;
  readonly lastUsedExact: string;
  readonly createdAt: string;
  readonly createdAtText: string;
  readonly createdAtExact: string;
}

/** In the reader's own locale; Intl instead of DatePipe keeps locale data out of the bundle. */
const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
/** On hover: to the second, with the time zone. */
const EXACT = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'long' });
/** "5 minutes ago" goes stale while the page stays open: the words are redone this often. */
const CLOCK_TICK_MS = 30_000;

/**
 * The account's sessions, this device first, each with its browser, system, kind of device,
 * address and times, and a way to sign the others out (this one ends with the page's "Sign out").
 * `sessions` null: they could not be fetched (offline), and the list says so.
 */
@Component({
  selector: 'lk-session-list',
  imports: [MatButton],
  template: `
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title" tabindex="-1" #heading>Sessions</h2>
      <p class="intro">Browsers and devices signed in to your account.</p>
      @if (actionError(); as message) {
        <p class="alert" role="alert">{{ message }}</p>
      }
      @if (rows(); as rows) {
        <ul class="sessions">
          @for (row of rows; track row.id) {
            <li class="session" data-testid="session" [class.current]="row.current">
              <div class="session-text">
                <p class="device" [id]="'session-' + row.id">
                  <span data-testid="device-name">{{ row.device.name }}</span>
                  @if (row.current) {
                    &ngsp;<span class="badge" data-testid="current-session">This device</span>
                  }
                </p>
                @if (row.where) {
                  <p class="meta" [id]="'session-' + row.id + '-where'" data-testid="session-where">{{ row.where }}</p>
                }
                <p class="meta" [id]="'session-' + row.id + '-when'">
                  @if (row.current) {
                    Active now
                  } @else {
                    Last active
                    <time data-testid="last-active" [attr.datetime]="row.lastUsedAt" [title]="row.lastUsedExact">{{ row.lastUsedAgo }}</time>
                  }
                  · Signed in
                  <time [attr.datetime]="row.createdAt" [title]="row.createdAtExact">{{ row.createdAtText }}</time>
                </p>
              </div>
              @if (!row.current) {
                <button
                  mat-stroked-button
                  type="button"
                  [attr.aria-describedby]="describedBy(row)"
                  [disabled]="disabled() || removing() !== null"
                  disabledInteractive
                  (click)="signOut(row)"
                >
                  {{ removing() === row.id ? 'Signing out…' : 'Sign out this session' }}
                </button>
              }
            </li>
          } @empty {
            <li class="session">No sessions.</li>
          }
        </ul>
      } @else {
        <p class="unavailable" data-testid="sessions-unavailable">{{ messages.sessionsUnavailable }}</p>
      }
    </section>
  `,
  styleUrl: './session-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SessionList {
  private readonly auth = inject(AuthService);
  private readonly messenger = inject(SnackBarAuthMessenger);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');
  /** The page's language (its words are English), so "Last active 5 minutes ago" reads as one sentence. */
  private readonly words = new Intl.RelativeTimeFormat(inject(LOCALE_ID), { numeric: 'auto' });
  private readonly now = signal(Date.now());

  /** Null while they cannot be fetched. Signing a session out removes it from here. */
  readonly sessions = model.required<SessionInfo[] | null>();
  /** While the page is signing out: no second action at the same time. */
  readonly disabled = input(false);

  protected readonly messages = ACCOUNT_MESSAGES;
  /** The session being signed out, if any. */
  protected readonly removing = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);

  /** Parsed once per list, not on every tick of the clock. */
  private readonly described = computed(() =>
    this.sessions()?.map((session) => ({ session, device: describeDevice(session.userAgent) })),
  );

  protected readonly rows = computed(() => {
    const now = this.now();
    const described = this.described();
    return described && [...described]
      .sort((a, b) => compareSessions(a.session, b.session))
      .map(({ session, device }) => this.toRow(session, device, now));
  });

  constructor() {
    const clock = setInterval(() => this.now.set(Date.now()), CLOCK_TICK_MS);
    this.destroyRef.onDestroy(() => clearInterval(clock));
  }

  /** The device's name, kind, address and times: two rows of one browser read differently. */
  protected describedBy(row: SessionRow): string {
    const where = row.where ? ` session-${row.id}-where` : '';
    return `session-${row.id}${where} session-${row.id}-when`;
  }

  protected signOut(row: SessionRow): void {
    if (this.disabled() || this.removing() !== null) return;
    this.removing.set(row.id);
    this.actionError.set(null);
    this.auth
      .deleteSession(row.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.remove(row, ACCOUNT_MESSAGES.sessionEnded(row.label)),
        error: (error: unknown) => {
          if (error instanceof HttpErrorResponse && error.status === 404) {
            this.remove(row, ACCOUNT_MESSAGES.sessionAlreadyEnded);
            return;
          }
          this.removing.set(null);
          this.actionError.set(serverErrorMessage(error, ACCOUNT_MESSAGES.signOutFailed));
        },
      });
  }

  private remove(row: SessionRow, message: string): void {
    this.removing.set(null);
    this.sessions.update((list) => list?.filter((s) => s.id !== row.id) ?? null);
    // The snack bar reads itself out (assertive), so nothing else announces it.
    void this.messenger.show(message);
    // The button that had focus is gone: keep the keyboard in the list's section.
    afterNextRender(() => this.heading().nativeElement.focus(), { injector: this.injector });
  }

  private toRow(session: SessionInfo, device: DeviceDescription, now: number): SessionRow {
    const lastUsed = Date.parse(session.lastUsedAt);
    const created = new Date(session.createdAt);
    return {
      id: session.id,
      current: session.current,
      device,
      where: [device.kind, session.ipAddress].filter(Boolean).join(' · '),
      label: session.ipAddress ? `${device.name} (${session.ipAddress})` : device.name,
      lastUsedAt: session.lastUsedAt,
      lastUsedAgo: timeAgo(lastUsed, now, this.words, 'just now'),
      lastUsedExact: EXACT.format(lastUsed),
      createdAt: session.createdAt,
      createdAtText: DATE_TIME.format(created),
      createdAtExact: EXACT.format(created),
    };
  }
}

/** This device first, then the most recently used. */
function compareSessions(a: SessionInfo, b: SessionInfo): number {
  return Number(b.current) - Number(a.current) || Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt);
}
