import { Controller, Delete, Get, HttpCode, HttpStatus, Param, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { AuthPaths, SessionInfo } from '@latchkey/auth-contract';
import { CurrentUser } from '../decorators/current-user.decorator';
import { NoStore } from '../decorators/no-store.decorator';
import { JwtAuthGuard } from '../guards/jwt-auth.guard';
import type { AuthenticatedCaller } from '../guards/authenticated-caller';
import { SessionService } from '../sessions/session.service';

@ApiTags('auth')
@ApiCookieAuth()
@Controller(AuthPaths.sessions)
@UseGuards(JwtAuthGuard)
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get()
  @NoStore()
  list(@CurrentUser() caller: AuthenticatedCaller): Promise<SessionInfo[]> {
    return this.sessions.list(caller);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  delete(@CurrentUser() caller: AuthenticatedCaller, @Param('id') id: string): Promise<void> {
    return this.sessions.delete(caller, id);
  }
}
