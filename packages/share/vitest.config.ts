import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    // multi-process libp2p tests on a shared 2-CPU machine: generous ceilings, not timing assertions
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
})
