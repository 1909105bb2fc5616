import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';

/** Short: a dead database must answer quickly, never hang the probe. */
const PING_TIMEOUT_MS = 2000;

/**
 * A terminus health indicator for what sign-in needs: Latchkey's database
 * answers, and its tables are there. Add it to a module that imports
 * `TerminusModule`, then `health.check([() => auth.isHealthy()])`.
 */
@Injectable()
export class AuthHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async isHealthy(key = 'latchkey'): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
      });
      await Promise.race([this.dataSource.query(`SELECT 1 FROM sessions LIMIT 1`), timeout]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
