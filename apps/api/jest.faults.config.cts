/**
 * The fault tests (`*.fault.spec.ts`) that need services or time: database
 * loss through a TCP proxy, several instances on one database and Redis
 * (also rate limits shared through Redis), shutdown under load, an SMTP
 * outage (a real SMTP server in the test, stopped and started again).
 * Run by `npm run test:faults` (after a build: two of them start the built
 * server). Database loss and several instances need DATABASE_URL (a real
 * PostgreSQL) and refuse to run without it; several instances also needs
 * Redis (REDIS_URL, default redis://127.0.0.1:6379).
 */
module.exports = {
  displayName: 'api-faults',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/test/faults/**/*.fault.spec.ts'],
  // Outages are waited out in real time (up to 15 s each).
  testTimeout: 90_000,
  // One file at a time: each starts servers and drives load on a 2-core machine.
  maxWorkers: 1,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api-faults',
};
