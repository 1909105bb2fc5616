import type { Request } from 'express';

/** The request's User-Agent as a new or refreshed session records it: at most 512 characters. */
export function userAgent(req: Request): string | null {
  return req.header('user-agent')?.slice(0, 512) ?? null;
}
