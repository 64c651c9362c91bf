import { join } from 'node:path'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'
import { appPage } from './pages/app'
import { conversation } from './pages/conversation'

/** Monday 23 November 2026, 10:00 UTC: the complaints come in. */
const monday = '2026-11-23T10:00:00Z'
/** Friday of the same week: Tuesday to Thursday passed with no news for the first customer. */
const friday = '2026-11-27T10:00:00Z'

const firstLetter = `Dear Mrs Smith,

Thank you for telling me about the soup that was served cold on Friday. I am sorry: that was our mistake. I have refunded the meal to your card today, and I have asked the kitchen to check every plate before it goes out.

Kind regards,
Anna`

// The same letter with the name and the dish swapped: the "cockroach letter".
const copiedLetter = firstLetter.replace('Mrs Smith', 'Mr Doe').replace('soup', 'pasta')

const rewrite = `Dear Mr Doe,

Your pasta came to the table cold on Saturday, after you had already waited half an hour for it. I am sorry. A new dish of your choice is yours on your next visit, and I will be there to serve it myself.

Anna`

test('a complaint from first contact through a form-letter warning to a reply written for the customer; the coach in English and Chinese', async ({
  page,
  dataDir,
}) => {
  const en = await translator('en')
  const zh = await translator('zh-CN')
  const app = appPage(page)
  const talk = conversation(page, en)
  let server = await startServer(dataDir, ['--now', monday])
  try {
    await openApp(page, server.url)
    await app.newComplaint({
      customer: 'Margaret Smith',
      summary: 'Soup served cold',
      remedy: 'Refund of the meal',
      category: 'Poor quality of work',
    })
    const first = (await page.locator('.case-header .mono').textContent())!.trim()
    expect(first).toMatch(/^C-2026-\d{4}$/)

    // First contact: a call out, with the next contact promised by Wednesday.
    await talk.logContact({
      kind: 'call',
      direction: 'out',
      summary: 'Apologised on the phone; she would like the meal refunded.',
      nextDate: '2026-11-25',
    })
    const timeline = page.getByRole('list', { name: en('cases:timeline.title') })
    await expect(
      timeline.getByText(en('conversation:contact.timeline.out', { kind: en('conversation:contact.kinds.call') })),
    ).toBeVisible()
    await expect(timeline.getByText('Apologised on the phone', { exact: false })).toBeVisible()
    await expect(
      page.getByText(en('conversation:contact.nextWhatDefault', { name: 'Margaret Smith' })).first(),
    ).toBeVisible()

    // The first reply: the draft carries the case's facts; it is replaced by the letter and passes.
    await talk.openReply()
    await expect(talk.replyBody).toHaveValue(/Margaret Smith/)
    await expect(talk.replyBody).toHaveValue(/Soup served cold/)
    await expect(talk.replyBody).toHaveValue(/Refund of the meal/)
    await talk.replyBody.fill(firstLetter)
    await talk.check()
    await expect(talk.replyDialog.getByRole('status')).toContainText(en('conversation:reply.passed', { share: '0%' }))
    await expect(talk.replyDialog.getByRole('alert')).toHaveCount(0)
    await talk.markSent()
    await expect(page.getByRole('region', { name: en('conversation:reply.sent') })).toBeVisible()

    // A second complaint, answered with a near-copy of the first letter: the warning names the first case.
    await app.newComplaint({
      customer: 'John Doe',
      summary: 'Pasta served cold',
      remedy: 'A new dish',
      category: 'Poor quality of work',
    })
    await talk.openReply()
    await talk.replyBody.fill(copiedLetter)
    await talk.check()
    const warning = talk.replyDialog.getByRole('alert').filter({ hasText: first })
    await expect(warning).toBeVisible()
    await expect(warning).toContainText(/\d+%/)
    await expect(talk.replyDialog.getByRole('button', { name: en('conversation:reply.sendAnyway') })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'en-form-letter-warning.png'), fullPage: true })

    // The rewrite: written for John, it passes; then it is marked sent.
    await talk.replyBody.fill(rewrite)
    await expect(talk.replyDialog.getByText(en('conversation:reply.changed'))).toBeVisible()
    await talk.check()
    await expect(talk.replyDialog.getByRole('alert')).toHaveCount(0)
    await expect(talk.replyDialog.getByRole('status')).toBeVisible()

    // The coach underlines a forbidden phrase with a better alternative; it never blocks.
    await talk.replyBody.fill(`${rewrite}\n\nPlease calm down, that is company policy.`)
    const coach = talk.coach(talk.replyDialog)
    await expect(coach.locator('mark', { hasText: 'calm down' })).toBeVisible()
    await expect(coach.locator('mark', { hasText: 'company policy' })).toBeVisible()
    await expect(
      coach.getByText(
        en('conversation:coach.instead', { phrase: 'calm down', better: 'I understand why you are upset.' }),
      ),
    ).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'en-response-coach.png'), fullPage: true })
    await talk.replyBody.fill(rewrite)
    await expect(coach).toHaveCount(0)
    await talk.check()
    await talk.markSent()
    await expect(
      page
        .getByRole('region', { name: en('conversation:reply.sent') })
        .getByText(/E-mail|Letter/)
        .first(),
    ).toBeVisible()

    // In Chinese: the coach underlines 你冷静一点 in a step note.
    await page.getByRole('link', { name: en('nav.settings'), exact: true }).click()
    await page.getByLabel(en('settings.language')).selectOption('zh-CN')
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await page.goBack()
    await expect(page.getByRole('heading', { level: 1, name: 'Pasta served cold' })).toBeVisible()
    const step = page.getByRole('listitem', { name: zh('cases:step.investigate'), exact: true })
    await step.getByRole('textbox').fill('你冷静一点，这是公司规定。')
    const zhCoach = conversation(page, zh).coach(step)
    await expect(zhCoach.locator('mark', { hasText: '你冷静一点' })).toBeVisible()
    await expect(zhCoach.locator('mark', { hasText: '这是公司规定' })).toBeVisible()
    await expect(zhCoach.getByText('我理解您为什么生气。', { exact: false })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'zh-CN-response-coach.png'), fullPage: true })
    // Advice only: the step is still done with the note as written.
    await step.getByRole('button', { name: zh('cases:steps.done') }).click()
    await expect(step.getByText(zh('cases:stepStatus.done'), { exact: true })).toBeVisible()
  } finally {
    await server.stop()
  }

  // Friday: Margaret has had no news since Monday, and shows under Today → Waiting for news.
  server = await startServer(dataDir, ['--now', friday])
  try {
    await openApp(page, server.url)
    const waiting = page.getByRole('region', { name: zh('conversation:silent.title') })
    await expect(waiting.getByRole('link', { name: /Margaret Smith/ })).toBeVisible()
    await expect(waiting.getByText(zh('conversation:silent.days', { count: 3 })).first()).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'zh-CN-waiting-for-news.png'), fullPage: true })
    await page.getByRole('link', { name: zh('nav.settings'), exact: true }).click()
    await page.getByLabel(zh('settings.language')).selectOption('en')
    await expect(page.locator('html')).toHaveAttribute('lang', 'en')
    await page.getByRole('link', { name: en('nav.today'), exact: true }).click()
    await expect(page.getByRole('region', { name: en('conversation:silent.title') })).toBeVisible()
  } finally {
    await server.stop()
  }
})
