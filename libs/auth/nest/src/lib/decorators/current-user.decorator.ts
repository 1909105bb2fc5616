import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';

/** The caller the guard authenticated: `{ userId, sessionId, accessTokenExpiresAt }`. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedCaller => ctx.switchToHttp().getRequest<Request>().user as AuthenticatedCaller,
);
