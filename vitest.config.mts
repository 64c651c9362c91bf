import { defineConfig } from 'vitest/config'

/**
 * The services' tests that run a second time on the team database (MAKEGOOD_TEST_ENGINE=team:
 * test/helpers/temp.ts openContext opens a fresh PostgreSQL database instead of a data folder),
 * with the same expectations, so the two engines cannot drift. Files about the folder's own files
 * on disk (crash, damage, lock, journal, backups…) and those spawning the CLI stay on the folder.
 */
const bothEngines = [
  'test/integration/attachments.test.ts',
  'test/integration/conversation.test.ts',
  'test/integration/daily-work.test.ts',
  'test/integration/demo-coherence.test.ts',
  'test/integration/escalation-inbox.test.ts',
  'test/integration/escalations.test.ts',
  'test/integration/fuzz.test.ts',
  'test/integration/guarantee-rule.test.ts',
  'test/integration/iceberg-services.test.ts',
  'test/integration/import-complaints-api.test.ts',
  'test/integration/incremental-sweep.test.ts',
  'test/integration/promises.test.ts',
  'test/integration/report-auto-export.test.ts',
  'test/integration/report-insights.test.ts',
  'test/integration/report-pdf-layout.test.ts',
  'test/integration/report-recount.test.ts',
  'test/integration/report-rubrics.test.ts',
  'test/integration/runtime.test.ts',
  'test/integration/rubrics.test.ts',
  'test/integration/save-path.test.ts',
  'test/integration/search-everywhere.test.ts',
  'test/integration/store-services.test.ts',
  'test/integration/trash-merge.test.ts',
  'test/unit/report-insights.test.ts',
]

export default defineConfig({
  test: {
    // One throwaway PostgreSQL cluster for the run: the team engine's tests use a real server.
    globalSetup: ['test/helpers/postgres.ts'],
    // Limits that catch a hang, not a speed requirement: spawned CLIs compile TypeScript at start,
    // which takes many seconds on a machine busy with other work (durations are printed, never asserted).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // test:clock runs the suite once per instant and points each run at its own report.
    reporters: ['default', ['json', { outputFile: process.env.MAKEGOOD_VITEST_JSON ?? 'test-results/vitest.json' }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'data-folder',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'team-engine', include: bothEngines, env: { MAKEGOOD_TEST_ENGINE: 'team' } },
      },
    ],
  },
})
