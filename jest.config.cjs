/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj|cj)sx?$': '<rootDir>/test/support/esbuild-transform.cjs' },
  // ESM-only packages are compiled to CJS too.
  transformIgnorePatterns: ['/node_modules/(?!(jose|otpauth|uqr|oauth4webapi|@statelyai|svelte|esm-env|devalue|clsx|@xstate/svelte)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30000,
  // Two workers on two cores: most suites wait on HTTP, SQLite and Chromium, not on the CPU (jest's default here is one).
  maxWorkers: 2,
};
