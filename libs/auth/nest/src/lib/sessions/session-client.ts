/** Who opened or refreshed a session, as the session list shows it. */
export interface SessionClient {
  /** The request's User-Agent, at most 512 characters. */
  readonly userAgent: string | null;
  /** The client address (after TRUST_PROXY), or null when unknown. */
  readonly ipAddress: string | null;
}
