import { defineConfig } from 'vitest/config'

// The API benchmark runs as one long vitest task so it can import the TypeScript sources directly.
// Run: cd apps/sentrypeer && ../../node_modules/.bin/vitest run --config bench/api/vitest.config.ts
export default defineConfig({
  test: {
    include: ['bench/api/**/*.bench-run.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
})
