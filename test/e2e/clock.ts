/**
 * The zone and language every end-to-end test runs in, for the browser (Playwright's timezoneId
 * and locale) and for the `makegood serve` it talks to (TZ, LC_ALL): the machine's own never leak
 * in. A test about another zone says so itself (`test.use({ timezoneId })` and a calendar zone).
 */
export const e2eTimeZone = 'UTC'
export const e2eLocale = 'en-US'
