import type { Request } from 'express';
import { isIP } from 'node:net';
import type { SessionClient } from '../sessions/session-client';

/** The client of a sign-in or refresh: its User-Agent (at most 512 characters) and address (after TRUST_PROXY). */
export function sessionClient(req: Request): SessionClient {
  const address = req.ip ?? null;
  return {
    userAgent: req.header('user-agent')?.slice(0, 512) ?? null,
    // IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d: show the address people know.
    ipAddress: address && isIP(address) ? address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '') : null,
  };
}
