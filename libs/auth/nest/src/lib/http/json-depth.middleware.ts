import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** How deep a JSON body may nest (CONTRACT.md, "Bad input"): `{}` is one level, `{"a": {}}` two. */
export const MAX_JSON_DEPTH = 64;

/**
 * Express middleware for right after the JSON body parser: a body nested
 * deeper than `maxDepth` gets a 400 before any guard, throttle or pipe sees
 * it. Nest's ValidationPipe and class-transformer walk a body recursively, so
 * 10,000 levels would overflow the stack (a 500) — and would have cost a rate
 * limit slot first. The error goes to `next`, for the app's error handler.
 *
 * @example
 * app.useBodyParser('json', { limit: '100kb' });
 * app.use(refuseDeepJson());
 */
export function refuseDeepJson(maxDepth = MAX_JSON_DEPTH): RequestHandler {
  const message = `The request body is nested deeper than ${maxDepth} levels`;
  return (req: Request, _res: Response, next: NextFunction) => {
    next(isNestedDeeperThan(req.body, maxDepth) ? new BadRequestException(message) : undefined);
  };
}

/** Whether objects and arrays in `value` nest deeper than `maxDepth`. Iterative, and stops at the first too-deep branch. */
export function isNestedDeeperThan(value: unknown, maxDepth: number): boolean {
  if (!isContainer(value)) return false;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const container = pending.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return true;
    for (const child of Object.values(container)) {
      if (isContainer(child)) {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** An object or an array: what a JSON body nests. */
export function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
