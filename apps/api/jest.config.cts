module.exports = {
  displayName: 'api',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  // Suites boot a real database (PGlite's first start takes seconds).
  testTimeout: 60_000,
  // The slow PostgreSQL fault suites run through `npm run test:faults` (jest.faults.config.cts).
  testPathIgnorePatterns: ['/node_modules/', '\\.fault\\.spec\\.ts$'],
  transform: {
    '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }]
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  coverageDirectory: '../../coverage/apps/api'
};
