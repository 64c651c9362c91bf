import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'src/**/*.test.ts'],
    // One throwaway PostgreSQL cluster for the run: the team engine's tests use a real server.
    globalSetup: ['test/helpers/postgres.ts'],
    // Limits that catch a hang, not a speed requirement: spawned CLIs compile TypeScript at start,
    // which takes many seconds on a machine busy with other work (durations are printed, never asserted).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // test:clock runs the suite once per instant and points each run at its own report.
    reporters: ['default', ['json', { outputFile: process.env.MAKEGOOD_VITEST_JSON ?? 'test-results/vitest.json' }]],
  },
})
