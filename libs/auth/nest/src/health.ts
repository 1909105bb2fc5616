/**
 * `@latchkey/auth-nest/health`: a terminus health indicator. Needs the
 * optional peer `@nestjs/terminus`; the main entry never loads it.
 */
export { AuthHealthIndicator } from './lib/health/auth-health.indicator';
