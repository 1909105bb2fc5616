/**
 * Browser tests, run by `nx run web-e2e:e2e` only. The Jest plugin also infers a `test`
 * target from this file; project.json turns it into a no-op so `nx run-many -t test`
 * never starts a browser.
 */
module.exports = {
  displayName: 'web-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  // A real server, real Chromium, and waits past a 3-second access token.
  testTimeout: 120_000,
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
};
