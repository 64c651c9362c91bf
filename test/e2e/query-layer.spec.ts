import { type Page, type Request } from '@playwright/test'
import { expect, openApp, startServer, test } from './fixtures'
import { appPage } from './pages/app'

/**
 * Every `/api/` call the page makes, with whether it has finished: a count is only read once
 * nothing is in flight, so a refresh still on its way cannot be missed.
 */
function watchApi(page: Page) {
  const started: string[] = []
  const pending = new Set<Request>()
  const methodOf = (request: Request) => decodeURIComponent(new URL(request.url()).pathname.replace(/^\/api\//, ''))
  page.on('request', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/api/')) return
    // The live channel is a standing long poll and a heartbeat, not a refresh after a change.
    if (methodOf(request).startsWith('live:')) return
    started.push(methodOf(request))
    pending.add(request)
  })
  const finish = (request: Request) => pending.delete(request)
  page.on('requestfinished', finish)
  page.on('requestfailed', finish)
  return {
    async settled(): Promise<string[]> {
      await expect.poll(() => pending.size).toBe(0)
      return [...started]
    },
    reset: () => started.splice(0),
  }
}

test('completing a step asks again only for what it changed, never settings:get', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    const app = appPage(page)
    const api = watchApi(page)
    await openApp(page, server.url)
    await app.newComplaint({
      customer: 'Margaret Smith',
      summary: 'Soup served cold twice',
      remedy: 'A hot soup and an apology',
      category: 'Poor quality of work',
    })
    await expect(page.getByRole('heading', { name: 'Promises' })).toBeVisible()
    await api.settled()
    api.reset()

    await app.completeStep('Empathise', 'Listened; she was upset because it was her birthday.')
    // The step's own record came back with the answer; the timeline shows it without asking again.
    await expect(page.getByRole('list', { name: 'Timeline' })).toContainText('Listened; she was upset')
    const calls = await api.settled()
    // Printed and recorded, for the report; the assertion is on which calls, not on timing.
    const figure = `${calls.length} (${calls.join(', ')})`
    test.info().annotations.push({ type: 'API round trips after completing one step', description: figure })
    process.stdout.write(`API round trips after completing one step: ${figure}\n`)
    // The step itself, the escalation badge (a sweep follows every change) and the case's
    // promises (completing a step may keep one); the case detail is the record it returned.
    expect([...calls].sort()).toEqual(['cases:completeStep', 'escalations:counts', 'promises:list'])
    expect(calls).not.toContain('settings:get')
    expect(calls).not.toContain('cases:get')
  } finally {
    await server.stop()
  }
})
