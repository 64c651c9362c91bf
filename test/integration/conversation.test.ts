import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type LetterFile, type ReplyCheck, type SilentCasePage, type SilentCases } from '../../src/shared/api'
import { type CustomerPromise } from '../../src/shared/promises/promises'
import { type Case, type Settings } from '../../src/shared/schemas'
import { openContext, tempDir } from '../helpers/temp'

const run = promisify(execFile)

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown = {}): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value as T
}

/** Monday 23 November 2026, 10:00 in Budapest; the calendar's zone is set, never the machine's. */
const monday = '2026-11-23T09:00:00.000Z'

async function business(dir: string) {
  const ctx = await openContext(dir, { now: monday, user: 'Anna' })
  const settings = await call<Settings>(ctx, 'settings:get')
  await call(ctx, 'settings:update', {
    currentUser: 'Anna',
    promises: { ...settings.promises, calendar: { ...settings.promises.calendar, timeZone: 'Europe/Budapest' } },
  })
  return ctx
}

const newCase = (customerName: string, summary: string, remedySought = '') => ({
  customerName,
  summary,
  remedySought,
  category: 'poor-quality',
})

const firstResponse = (ctx: ServiceContext, caseId: string) =>
  [...ctx.store.all('promises')].find(
    (p) => p.caseId === caseId && p.guaranteeId === 'first-response',
  ) as CustomerPromise

describe('contacts on a real data folder', () => {
  it('logs a contact on the timeline, keeps the first-response guarantee, and makes the promised next contact', async () => {
    const dir = await tempDir()
    const ctx = await business(dir)
    const c = await call<Case>(ctx, 'cases:create', newCase('Margaret Smith', 'Soup served cold', 'Refund of the meal'))
    expect(firstResponse(ctx, c.id).status).toBe('open')

    ctx.setNow('2026-11-23T11:30:00.000Z')
    const logged = await call<Case>(ctx, 'contacts:log', {
      caseId: c.id,
      kind: 'call',
      direction: 'out',
      summary: 'Apologised; she wants the refund on her card.',
      nextContact: { due: { kind: 'business-days', n: 2 }, what: 'Call back about the refund' },
    })
    expect(logged.contacts).toHaveLength(1)
    expect(logged.contacts![0]).toMatchObject({
      kind: 'call',
      direction: 'out',
      by: 'Anna',
      at: '2026-11-23T11:30:00.000Z',
    })
    expect(logged.timeline.find((e) => e.type === 'contact')).toMatchObject({ field: 'call', after: 'out' })
    // The first contact is the first response: the guarantee is kept at the contact's time.
    expect(firstResponse(ctx, c.id)).toMatchObject({ status: 'kept', closedAt: '2026-11-23T11:30:00.000Z' })
    const promised = ctx.store.get('promises', logged.contacts![0]!.promiseId!) as CustomerPromise
    expect(promised).toMatchObject({ what: 'Call back about the refund', caseId: c.id, status: 'open', madeBy: 'Anna' })
    // Two business days, to the end of Wednesday's opening hours in Budapest (17:00 = 16:00Z).
    expect(promised.dueAt).toBe('2026-11-25T16:00:00.000Z')

    // An e-mail that came in is the customer still waiting: it keeps no guarantee.
    const other = await call<Case>(ctx, 'cases:create', newCase('John Doe', 'Late delivery'))
    await call(ctx, 'contacts:log', { caseId: other.id, kind: 'email', direction: 'in', summary: 'Where is my order?' })
    expect(firstResponse(ctx, other.id).status).toBe('open')

    // Everything is stored: a fresh store reads the same contacts and promise.
    const reopened = await ctx.reopen({ isReadOnly: true })
    expect(reopened.get('cases', c.id)?.contacts).toEqual(logged.contacts)
    expect(reopened.get('promises', promised.id)?.status).toBe('open')
    await reopened.close()
  })

  it('refuses a contact without what was said, or on an unknown case, and writes nothing', async () => {
    const ctx = await business(await tempDir())
    const c = await call<Case>(ctx, 'cases:create', newCase('Margaret Smith', 'Soup served cold'))
    const before = JSON.stringify(ctx.store.get('cases', c.id))
    const promisesBefore = ctx.store.count('promises')
    const empty = await dispatch(ctx, 'contacts:log', { caseId: c.id, kind: 'call', direction: 'out', summary: '  ' })
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const unknown = await dispatch(ctx, 'contacts:log', {
      caseId: 'nope',
      kind: 'call',
      direction: 'out',
      summary: 'Hello',
      nextContact: { due: { kind: 'tomorrow' }, what: 'Call again' },
    })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } })
    // A next contact due in the past is refused before anything is saved.
    const past = await dispatch(ctx, 'contacts:log', {
      caseId: c.id,
      kind: 'call',
      direction: 'out',
      summary: 'Hello',
      nextContact: { due: { kind: 'date', date: '2026-11-01' }, what: 'Call again' },
    })
    expect(past.ok).toBe(false)
    expect(JSON.stringify(ctx.store.get('cases', c.id))).toBe(before)
    expect(ctx.store.count('promises')).toBe(promisesBefore)
  })

  it('lists open cases left without news for N business days, counted in the business calendar', async () => {
    const ctx = await business(await tempDir())
    // The CLI's whole list, and the Today screen's pages of it (one row a page): the same rows.
    const silent = async () => {
      const all = await call<SilentCases>(ctx, 'cases:silent')
      const rows: unknown[] = []
      for (let offset = 0; ; offset++) {
        const page = await call<SilentCasePage>(ctx, 'cases:silentPage', { offset, limit: 1 })
        expect(page.total).toBe(all.cases.length)
        expect(page.afterBusinessDays).toBe(all.afterBusinessDays)
        rows.push(...page.items)
        if (offset + 1 >= page.total) break
      }
      expect(rows).toEqual(all.cases)
      return all
    }
    const told = await call<Case>(ctx, 'cases:create', newCase('Margaret Smith', 'Soup served cold'))
    const untold = await call<Case>(ctx, 'cases:create', newCase('John Doe', 'Late delivery'))
    const closed = await call<Case>(ctx, 'cases:create', newCase('Eve Adams', 'Rude waiter'))
    for (const step of ['resolve', 'prevent'])
      await call(ctx, 'cases:skipStep', { id: closed.id, step, reason: 'Test' })
    await call(ctx, 'cases:close', { id: closed.id, reached: false })
    await call(ctx, 'contacts:log', { caseId: told.id, kind: 'visit', direction: 'in', summary: 'Came in to talk' })
    // An e-mail in is not news for the customer: John's silence still counts from Monday.
    await call(ctx, 'contacts:log', { caseId: untold.id, kind: 'message', direction: 'in', summary: 'Any news?' })

    // Wednesday: only Tuesday has passed in silence.
    ctx.setNow('2026-11-25T09:00:00.000Z')
    expect((await silent()).cases).toEqual([])

    // Thursday: Tuesday and Wednesday passed; both open cases show, the closed one never.
    ctx.setNow('2026-11-26T09:00:00.000Z')
    const thursday = await silent()
    expect(thursday.afterBusinessDays).toBe(2)
    expect(thursday.cases.map((c) => [c.number, c.businessDaysWithoutNews]).sort()).toEqual([
      [told.number, 2],
      [untold.number, 2],
    ])

    // News to Margaret takes her case off; a weekend does not count: on Monday 30th John has waited Tuesday to Friday, 4 days.
    await call(ctx, 'contacts:log', { caseId: told.id, kind: 'email', direction: 'out', summary: 'Update' })
    ctx.setNow('2026-11-30T09:00:00.000Z')
    const monday2 = await silent()
    expect(monday2.cases.map((c) => [c.number, c.businessDaysWithoutNews])).toEqual([[untold.number, 4]])

    // The setting: after 5 business days nobody is waiting yet.
    const settings = await call<Settings>(ctx, 'settings:get')
    await call(ctx, 'settings:update', { conversation: { ...settings.conversation, silentAfterBusinessDays: 5 } })
    expect((await silent()).cases).toEqual([])
  })
})

describe('replies on a real data folder', () => {
  const firstLetter = `Dear Mrs Smith,

Thank you for telling me about the soup that was served cold on Friday. I am sorry: that was our mistake. I have refunded the meal to your card today, and I have asked the kitchen to check every plate before it goes out.

Kind regards,
Anna`

  it('warns of a near-copy of an earlier reply, names that case, and lets a rewrite pass', async () => {
    const dir = await tempDir()
    const ctx = await business(dir)
    const first = await call<Case>(
      ctx,
      'cases:create',
      newCase('Margaret Smith', 'Soup served cold', 'Refund of the meal'),
    )
    const sent = await call<Case>(ctx, 'replies:send', {
      caseId: first.id,
      body: firstLetter,
      locale: 'en',
      template: 'apologise',
      via: 'email',
    })
    expect(sent.replies).toHaveLength(1)
    expect(sent.replies![0]).toMatchObject({
      via: 'email',
      check: { share: 0, isFormLetter: false, isMissingSpecifics: false },
    })
    expect(sent.contacts![0]).toMatchObject({ kind: 'email', direction: 'out', replyId: sent.replies![0]!.id })
    expect(firstResponse(ctx, first.id).status).toBe('kept')

    const second = await call<Case>(ctx, 'cases:create', newCase('John Doe', 'Pasta served cold', 'A new dish'))
    const copy = firstLetter.replace('Mrs Smith', 'Mr Doe').replace('soup', 'pasta')
    const warned = await call<ReplyCheck>(ctx, 'replies:check', { caseId: second.id, body: copy })
    expect(warned.isFormLetter).toBe(true)
    expect(warned.nearest).toMatchObject({ caseNumber: first.number, caseId: first.id })
    expect(warned.nearest!.share).toBeGreaterThan(0.9)

    const rewrite = `Dear Mr Doe,

Your pasta came to the table cold on Saturday, after you had already waited half an hour for it. I am sorry. A new dish of your choice is yours on your next visit, and I will be there to serve it myself.

Anna`
    const passed = await call<ReplyCheck>(ctx, 'replies:check', { caseId: second.id, body: rewrite })
    expect(passed.isFormLetter).toBe(false)
    expect(passed.isMissingSpecifics).toBe(false)
    expect(passed.nearest!.share).toBeLessThan(passed.formLetterShare)

    // A generic letter: not a copy of anything, but it names nobody and nothing of the case.
    const generic = await call<ReplyCheck>(ctx, 'replies:check', {
      caseId: second.id,
      body: 'Dear customer, we regret any inconvenience caused.',
    })
    expect(generic.isMissingSpecifics).toBe(true)
    expect(generic.specifics.isNameMentioned).toBe(false)

    // Sending the copy anyway is allowed (advice, not a block) and the warning is kept with it.
    const copied = await call<Case>(ctx, 'replies:send', {
      caseId: second.id,
      body: copy,
      locale: 'en',
      template: 'apologise',
      via: 'letter',
    })
    expect(copied.replies![0]!.check).toMatchObject({ isFormLetter: true, nearestCaseNumber: first.number })
    expect(copied.contacts![0]).toMatchObject({ kind: 'letter', direction: 'out' })

    // Stricter settings flag the rewrite too.
    const settings = await call<Settings>(ctx, 'settings:get')
    await call(ctx, 'settings:update', { conversation: { ...settings.conversation, formLetterShare: 0.1 } })
    expect((await call<ReplyCheck>(ctx, 'replies:check', { caseId: second.id, body: rewrite })).isFormLetter).toBe(true)
  })

  it('refuses an empty reply and writes nothing', async () => {
    const ctx = await business(await tempDir())
    const c = await call<Case>(ctx, 'cases:create', newCase('Margaret Smith', 'Soup served cold'))
    const before = JSON.stringify(ctx.store.get('cases', c.id))
    const result = await dispatch(ctx, 'replies:send', {
      caseId: c.id,
      body: ' ',
      locale: 'en',
      template: 'update',
      via: 'email',
    })
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(JSON.stringify(ctx.store.get('cases', c.id))).toBe(before)
  })

  it('prints a reply as a letter that pdftotext reads back, in English and in Chinese', async () => {
    const dir = await tempDir()
    const ctx = await business(dir)
    await call(ctx, 'settings:update', { businessName: 'Kék Kancsó' })
    const c = await call<Case>(ctx, 'cases:create', newCase('王芳', '汤是凉的'))
    for (const [locale, body, expected] of [
      [
        'en',
        'Dear Ms Wang,\n\nYour soup was cold. I am sorry.',
        ['Kék Kancsó', 'Dear Ms Wang,', 'Your soup was cold', 'November 23rd, 2026'],
      ],
      ['zh-CN', '王女士您好：\n\n您的汤是凉的，我向您道歉。', ['王女士您好', '您的汤是凉的', '2026年11月23日']],
    ] as const) {
      const file = await call<LetterFile>(ctx, 'replies:letter', { caseId: c.id, body, locale })
      expect(file.mimeType).toBe('application/pdf')
      const path = join(dir, `${locale}.pdf`)
      await writeFile(path, Buffer.from(file.base64, 'base64'))
      const { stdout } = await run('pdftotext', [path, '-'])
      for (const text of expected) expect(stdout).toContain(text)
    }
  })
})
