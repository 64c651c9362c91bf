import { defineConfig } from '@playwright/test'
import { e2eLocale, e2eTimeZone } from './test/e2e/clock'

/** Debian's Chromium: Playwright's own browser download cannot work on machines without internet. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e/**/*.spec.ts', 'electron/**/*.spec.ts'],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  outputDir: 'test-results/playwright',
  use: {
    viewport: { width: 1280, height: 860 },
    // Pinned, never the machine's: dates, times and day boundaries read the same everywhere.
    locale: e2eLocale,
    timezoneId: e2eTimeZone,
    launchOptions: {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    },
    trace: 'retain-on-failure',
  },
})
