import { Controller, Get, HttpCode, HttpStatus, Res } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import { HEALTH_PATH, HealthResponse } from '@latchkey/auth-contract';
import { Public } from '@latchkey/auth-nest';

/** Short: a dead database must answer 503 quickly, never hang the probe. */
const DB_PING_TIMEOUT_MS = 2000;

@Public()
@Controller(HEALTH_PATH)
export class HealthController {
  constructor(private readonly db: TypeOrmHealthIndicator) {}

  @Get()
  @HttpCode(HttpStatus.OK)
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthResponse> {
    const result = await this.db.pingCheck('db', { timeout: DB_PING_TIMEOUT_MS });
    if (result['db']?.status === 'up') return { status: 'ok', db: 'up' };
    res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'error', db: 'down' };
  }
}
