/**
 * Web GUI figures: bundle size, time to a usable overview, IP table, next page and detail view in
 * Chromium over a store of 200,000 events from 100,000 IPs, bytes the page fetched, the page's JS heap,
 * and how fast the live feed takes a burst of events. Prints a Markdown table for docs/benchmarks.md.
 */
import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { openStore } from '@sentrypeer/store'
import type { Page } from 'playwright-core'
import { it } from 'vitest'
import { createAllowlist, createApiServer, createMetrics } from '../../src/api/index.js'
import { buildGui } from '../../src/gui/build-gui.js'
import { loadGuiAssets } from '../../src/gui/index.js'
import { launchChromium } from '../../test/gui/chromium.js'

const EVENTS = 200_000
const IPS = 100_000
const RUNS = 5
const BURST = 2_000

function ipOf(i: number): string {
  return `198.${18 + Math.floor(i / 65536)}.${Math.floor(i / 256) % 256}.${i % 256}`
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now()
  await action()
  return performance.now() - t0
}

async function fetchedBytes(page: Page): Promise<number> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .reduce((sum, e) => sum + ((e as unknown as { encodedBodySize?: number }).encodedBodySize ?? 0), 0),
  )
}

it('web GUI in Chromium', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentrypeer-bench-gui-'))
  const guiDir = path.join(dir, 'gui')
  await buildGui(guiDir)
  const js = readFileSync(path.join(guiDir, 'app.js'))
  const now = Date.now()
  const store = openStore({ path: path.join(dir, 'bench.db'), pruneIntervalMs: 0 })
  const event = (n: number, time: number) => ({
    eventTime: time,
    eventUuid: `bench-${n}`,
    sourceIp: ipOf(n % IPS),
    sourcePort: 5060,
    destinationIp: '127.0.0.1',
    destinationPort: 5060,
    transport: 'udp' as const,
    method: n % 5 === 0 ? 'REGISTER' : 'INVITE',
    calledNumberRaw: `00${n % 5000}`,
    calledNumberNormalized: `00${n % 5000}`,
    userAgent: `scanner-${n % 50}`,
    collectionMode: 'passive' as const,
    collectorNodeId: 'bench',
    origin: 'local',
  })
  const loadStart = performance.now()
  for (let n = 0; n < EVENTS; n++) {
    while (!store.record(event(n, now - 6 * 86_400_000 + Math.floor((n / EVENTS) * 6 * 86_400_000)))) {
      await store.flush()
    }
    if (n % 50_000 === 49_999) await store.flush()
  }
  await store.flush()
  const loadSeconds = (performance.now() - loadStart) / 1000
  const events = new EventEmitter()
  const server = await createApiServer(
    { host: '127.0.0.1', port: 0 },
    {
      store,
      metrics: createMetrics(),
      allowlist: createAllowlist(),
      events,
      gui: loadGuiAssets({ dir: guiDir }),
    },
  )
  const { context, page } = await launchChromium(dir)
  try {
    const overview: number[] = []
    const ipTable: number[] = []
    const nextPage: number[] = []
    const detail: number[] = []
    let bytes = 0
    for (let run = 0; run < RUNS; run++) {
      await page.goto('about:blank')
      overview.push(
        await timed(async () => {
          await page.goto(`${server.url}/#/overview`)
          await page.locator('#total-ips', { hasText: '10,000' }).waitFor()
        }),
      )
      bytes = await fetchedBytes(page)
      ipTable.push(
        await timed(async () => {
          await page.getByRole('link', { name: 'IP addresses' }).click()
          await page.locator('#ips-next:not([disabled])').waitFor()
        }),
      )
      nextPage.push(
        await timed(async () => {
          await page.locator('#ips-next').click()
          await page.locator('.pager', { hasText: 'Page 2' }).waitFor()
        }),
      )
      detail.push(
        await timed(async () => {
          await page.locator('#ips-table a').first().click()
          await page.locator('main table tbody tr td time').first().waitFor()
        }),
      )
      await page.getByRole('link', { name: 'Overview' }).click()
    }
    // A burst of events through the live feed (SSE), as a scanner flood would send them.
    await page.locator('#live-state[data-state="open"]').count()
    let warm = 0
    while ((await page.locator('#live-body tr[data-event]').count()) === 0) {
      events.emit('event', event(EVENTS + warm++, Date.now()))
      await new Promise((r) => setTimeout(r, 50))
    }
    const burst = await timed(async () => {
      for (let i = 0; i < BURST; i++) events.emit('event', event(EVENTS + 1_000 + i, Date.now()))
      await page.locator(`#live-body tr[data-event="bench-${EVENTS + 1_000 + BURST - 1}"]`).waitFor()
    })
    const rows = await page.locator('#live-body tr').count()
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    const metrics = (await cdp.send('Performance.getMetrics')).metrics as Array<{
      name: string
      value: number
    }>
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN
    const nodes = await page.evaluate(
      () =>
        (
          globalThis as unknown as { document: { getElementsByTagName(t: string): { length: number } } }
        ).document.getElementsByTagName('*').length,
    )
    const ms = (x: number): string => `${x.toFixed(0)} ms`
    console.log(
      [
        `store: ${EVENTS} events from ${IPS} IPs loaded in ${loadSeconds.toFixed(1)} s; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
        `bundle app.js: ${(js.byteLength / 1024).toFixed(0)} KiB, gzip ${(gzipSync(js).byteLength / 1024).toFixed(0)} KiB`,
        '',
        `| step (median of ${RUNS}) | time |`,
        '| --- | ---: |',
        `| overview usable (page, script, 6 API calls, chart) | ${ms(median(overview))} |`,
        `| IP table, first page of 50 | ${ms(median(ipTable))} |`,
        `| next page (cursor) | ${ms(median(nextPage))} |`,
        `| IP detail with recent events | ${ms(median(detail))} |`,
        `| live feed: ${BURST} events in a burst until the last is shown | ${ms(burst)} |`,
        '',
        `bytes fetched for the overview: ${(bytes / 1024).toFixed(0)} KiB; live feed rows kept: ${rows}; JS heap after the runs: ${(heap / 1048576).toFixed(1)} MiB; elements in the page: ${nodes}`,
      ].join('\n'),
    )
  } finally {
    await context.close()
    await server.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
