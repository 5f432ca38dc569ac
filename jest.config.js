import os from 'node:os';

// ESM TypeScript through SWC; run with NODE_OPTIONS=--experimental-vm-modules (see package.json).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }],
  },
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  // Jest's default (cores - 1) is a single worker on a 2-core machine; the contract tests spend much
  // of their time waiting on PostgreSQL, child processes and back-offs, so two files at a time pay off.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // For every test and hook: generous, so a loaded machine is never a failure; a hung test still fails.
  testTimeout: 300_000,
};
