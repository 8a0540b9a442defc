import { defineConfig } from 'vitest/config';

// The browser suite (test/browser/**): the server's HTML pages in a real Chromium, through
// playwright-core. Chromium is not an npm package here: CHROMIUM names it, else /usr/bin/chromium
// (`apt-get install -y chromium`). .ci/run runs this config when it exists.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
