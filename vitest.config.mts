import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // test:clock runs the suite once per instant and points each run at its own report.
    reporters: ['default', ['json', { outputFile: process.env.MAKEGOOD_VITEST_JSON ?? 'test-results/vitest.json' }]],
  },
})
