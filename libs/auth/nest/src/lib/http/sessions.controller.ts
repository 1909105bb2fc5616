import { Controller, Delete, Get, HttpCode, HttpStatus, Param, UseFilters, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthPaths, SessionInfo } from '@latchkey/auth-contract';
import { CurrentUser } from '../decorators/current-user.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import type { AuthenticatedCaller } from '../tokens/authenticated-caller';
import { SessionService } from '../sessions/session.service';
import { SessionInfoBody } from './dto/responses';
import { ApiAccessToken, ApiErrors, ApiUnsafe, ERRORS } from './openapi';
import { ApiExceptionFilter } from './api-exception.filter';

@ApiTags('auth')
@ApiAccessToken()
// Also when the host's filter is not Latchkey's (globalExceptionFilter: false): 503 while the database is away.
@UseFilters(ApiExceptionFilter)
@Controller(AuthPaths.sessions)
@UseGuards(JwtAuthGuard)
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @ApiOperation({ summary: 'The user’s open sessions, most recently used first' })
  @ApiOkResponse({ type: SessionInfoBody, isArray: true, description: 'Every live session of the user; `current` marks this one' })
  @ApiErrors({ 503: ERRORS.database })
  @Get()
  @NoStore()
  list(@CurrentUser() caller: AuthenticatedCaller): Promise<SessionInfo[]> {
    return this.sessions.list(caller);
  }

  @ApiOperation({ summary: 'Revoke one of the user’s sessions' })
  @ApiParam({ name: 'id', description: 'A session id from the list', format: 'uuid' })
  @ApiUnsafe()
  @ApiNoContentResponse({ description: 'The session is revoked; its access tokens get 401 within a second' })
  @ApiErrors({ 404: 'No such session of this user (unknown ids and other users’ sessions alike)', 503: ERRORS.database })
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  delete(@CurrentUser() caller: AuthenticatedCaller, @Param('id') id: string): Promise<void> {
    return this.sessions.delete(caller, id);
  }
}
