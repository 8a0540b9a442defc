import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The service (PostgreSQL, NATS) and browser suites run from .ci/run with their own configs.
    exclude: ['test/service/**', 'test/browser/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['test/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
