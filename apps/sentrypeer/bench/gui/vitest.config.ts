import { defineConfig } from 'vitest/config'

// The GUI benchmark: a large real store, the API server with the GUI, Debian's Chromium.
// Run: cd apps/sentrypeer && ../../node_modules/.bin/vitest run --config bench/gui/vitest.config.ts
export default defineConfig({
  test: {
    include: ['bench/gui/**/*.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
})
