import { defineConfig } from 'vitest/config';

// The bench harness's own tests (translation to the other engines, generator, shared ledger
// bookkeeping): `npx vitest run --config bench/engine/vitest.config.ts`. Nothing here is timed.
export default defineConfig({
  test: {
    include: ['bench/engine/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
