/**
 * The web GUI in a real Chromium (playwright-core, Debian's /usr/bin/chromium) against the real,
 * built daemon process: SIP over UDP in, the API with a token, the page served by the daemon.
 */
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@sentrypeer/client'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DaemonProcess, spawnDaemon } from '../helpers/daemon-process.js'
import { freePort } from '../helpers/free-port.js'
import { appRoot, tempDir } from '../helpers/paths.js'
import { sipRequest, type UdpClient, udpClient } from '../helpers/sip-client.js'
import { launchChromium, screenshot } from './chromium.js'

const TOKEN = 'gui-browser-token'
const HOSTILE_UA = '<img src=x onerror="window.__xss=1">scanner/1.0'
const NUMBER = '00442079460000'

/** The page's `document.activeElement`, typed for `page.evaluate` (the tests compile without DOM types). */
interface Focus {
  document: { activeElement: { textContent: string | null } | null }
}

describe('the web GUI in Chromium', () => {
  let dir: string
  let daemon: DaemonProcess
  let scanner: UdpClient
  let browser: BrowserContext
  let page: Page
  let apiUrl: string
  let sipPort: number
  let consoleErrors: string[] = []

  const invite = (userAgent: string, number = NUMBER): Promise<void> =>
    scanner.send(
      sipRequest({ method: 'INVITE', uri: `sip:${number}@127.0.0.1`, userAgent }),
      sipPort,
      '127.0.0.1',
    )

  beforeAll(async () => {
    if (!existsSync(join(appRoot, 'dist', 'gui', 'app.js'))) {
      throw new Error('dist/gui is missing: build the app first (pnpm --filter sentrypeer build)')
    }
    dir = tempDir('sentrypeer-gui-browser-')
    sipPort = await freePort()
    const apiPort = await freePort()
    apiUrl = `http://127.0.0.1:${apiPort}`
    daemon = await spawnDaemon(
      [
        '-f',
        join(dir, 'sentrypeer.db'),
        '--sip-listen',
        `127.0.0.1:${sipPort}`,
        '-z',
        '127.0.0.1:0',
        '-a',
        '--api-listen',
        `127.0.0.1:${apiPort}`,
        '--api-token',
        TOKEN,
      ],
      { cwd: dir },
    )
    // 127.0.0.2 is loopback: recorded and shown, though allowlisted out of the firewall feeds.
    scanner = await udpClient('127.0.0.2')
    await invite(HOSTILE_UA)
    await invite('friendly-scanner', '100')
    // The store writes in batches: wait until the API lists both numbers (the test timeout bounds it).
    const api = createClient({ baseUrl: apiUrl, token: TOKEN })
    while ((await api.listNumbers()).called_numbers.length < 2) await new Promise((r) => setTimeout(r, 50))

    ;({ context: browser, page, consoleErrors } = await launchChromium(dir))
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await scanner?.close()
    await daemon?.stop('SIGTERM')
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('asks for the token, rejects a wrong one, then shows the overview', async () => {
    await page.goto(`${apiUrl}/`)
    await page.locator('#token-form').waitFor({ state: 'visible' })
    expect(await page.locator('#token-message').textContent()).toContain('needs a token')
    await page.locator('#token-input').fill('wrong-token')
    await page.getByRole('button', { name: 'Use token' }).click()
    await page.locator('#token-message', { hasText: 'rejected' }).waitFor()
    expect(await page.locator('#token-form').isVisible()).toBe(true)

    await page.locator('#token-input').fill(TOKEN)
    await page.getByRole('button', { name: 'Use token' }).click()
    await page.locator('#total-ips', { hasText: '1' }).waitFor()
    expect(await page.locator('#token-form').isVisible()).toBe(false)
    expect(await page.locator('#total-numbers').textContent()).toBe('2')
    expect(await page.locator('#events-24h').textContent()).toBe('2')
    expect(await page.locator('#events-7d').textContent()).toBe('2')
    // The token stays in this tab's sessionStorage, not in localStorage or cookies.
    expect(await page.evaluate(() => sessionStorage.getItem('sentrypeer.apiToken'))).toBe(TOKEN)
    expect(await page.evaluate(() => localStorage.length)).toBe(0)
    // 24 hourly bars, the current hour holding both events.
    expect(await page.locator('svg.chart rect.bar').count()).toBe(24)
    expect(await page.locator('svg.chart rect.bar').last().getAttribute('data-value')).toBe('2')
  })

  it('renders a hostile User-Agent as text, never as markup', async () => {
    const agents = page.locator('table', { has: page.locator('caption', { hasText: 'Top User-Agents' }) })
    await agents.locator('td', { hasText: HOSTILE_UA }).waitFor()
    expect(await agents.locator('td .ua').allTextContents()).toContain(HOSTILE_UA)
    expect(await page.locator('img').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
    const numbers = page.locator('table', { has: page.locator('caption', { hasText: 'Top called numbers' }) })
    expect(await numbers.locator('td a').allTextContents()).toEqual(expect.arrayContaining([NUMBER, '100']))
    await screenshot(page, 'overview')

    // A hostile value in the address bar is shown as text too (and never reaches the API unchecked).
    await page.goto(`${apiUrl}/#/numbers/${encodeURIComponent(HOSTILE_UA)}`)
    await page.locator('#detail-value').waitFor()
    expect(await page.locator('#detail-value').textContent()).toBe(HOSTILE_UA)
    expect(await page.locator('img').count()).toBe(0)
    await page.locator('#status', { hasText: 'INVALID_ARGUMENT' }).waitFor()
    expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
  })

  it('shows a new event in the live feed after the page loaded', async () => {
    const row = page.locator('#live-body tr', { hasText: 'live-after-load' })
    // Resend until the feed shows it (the stream may not be subscribed for the first datagram).
    while ((await row.count()) === 0) {
      await invite('live-after-load', '2001')
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(await row.first().locator('td').nth(1).textContent()).toBe('127.0.0.2')
    expect(await row.first().locator('td').nth(2).textContent()).toBe('INVITE')
    expect(await row.first().locator('td').nth(3).textContent()).toBe('2001')
    expect(await page.locator('#live-state').getAttribute('data-state')).toBe('open')
  })

  it('lists IPs in a paged table and opens the detail of one', async () => {
    await page.getByRole('link', { name: 'IP addresses' }).click()
    const table = page.locator('#ips-table')
    await table.locator('a', { hasText: '127.0.0.2' }).waitFor()
    expect(await table.locator('th').allTextContents()).toEqual(['IP address', 'Events', 'Last seen (UTC)'])
    expect(await page.locator('#ips-next').isDisabled()).toBe(true)
    // Filters reach the API: no IPv6 bad actor, then back to both families.
    await page.getByLabel('Family').selectOption('6')
    await page.locator('#ips-table td.empty').waitFor()
    await page.getByLabel('Family').selectOption('')
    await table.locator('a', { hasText: '127.0.0.2' }).waitFor()

    await table.locator('a', { hasText: '127.0.0.2' }).click()
    await page.locator('#detail-value', { hasText: '127.0.0.2' }).waitFor()
    expect(page.url()).toContain('#/ips/127.0.0.2')
    const events = page.locator('main table')
    await events.locator('td', { hasText: NUMBER }).first().waitFor()
    expect(await events.locator('td .ua').allTextContents()).toContain(HOSTILE_UA)
    expect(await page.locator('img').count()).toBe(0)
    await screenshot(page, 'ip-detail')
    await page.getByRole('button', { name: 'Ask the P2P network' }).click()
    await page.locator('#network-lookup', { hasText: 'P2P is off on this node.' }).waitFor()
  })

  it('lists called numbers and opens the detail of one', async () => {
    await page.getByRole('link', { name: 'Numbers' }).click()
    const table = page.locator('#numbers-table')
    await table.locator('a', { hasText: NUMBER }).waitFor()
    await table.locator('a', { hasText: NUMBER }).click()
    await page.locator('#detail-value', { hasText: NUMBER }).waitFor()
    await page.locator('main table td a', { hasText: '127.0.0.2' }).first().waitFor()
  })

  it('pages through the IP table with next and previous', async () => {
    // 55 more scanners (127.0.0.10-64, all loopback): 56 IPs, two pages of 50.
    const extra = await Promise.all(Array.from({ length: 55 }, (_, i) => udpClient(`127.0.0.${10 + i}`)))
    try {
      for (const c of extra)
        await c.send(sipRequest({ method: 'OPTIONS', userAgent: 'pager' }), sipPort, '127.0.0.1')
    } finally {
      await Promise.all(extra.map((c) => c.close()))
    }
    const api = createClient({ baseUrl: apiUrl, token: TOKEN })
    while ((await api.listIpAddresses()).ip_addresses.length < 56) await new Promise((r) => setTimeout(r, 50))

    await page.getByRole('link', { name: 'Overview' }).click()
    await page.locator('#total-ips', { hasText: '56' }).waitFor()
    await page.getByRole('link', { name: 'IP addresses' }).click()
    const rows = page.locator('#ips-table tbody tr')
    await page.locator('#ips-next:not([disabled])').waitFor()
    expect(await rows.count()).toBe(50)
    const first = await rows.locator('a').allTextContents()
    await page.locator('#ips-next').click()
    await page.locator('.pager', { hasText: 'Page 2' }).waitFor()
    expect(await rows.count()).toBe(6)
    expect(await page.locator('#ips-next').isDisabled()).toBe(true)
    const second = await rows.locator('a').allTextContents()
    expect(new Set([...first, ...second]).size).toBe(56)
    await page.getByRole('button', { name: '← Previous' }).click()
    await page.locator('.pager', { hasText: 'Page 1' }).waitFor()
    expect(await rows.locator('a').allTextContents()).toEqual(first)
  })

  it('shows the firewall feed commands with the token taken from the environment', async () => {
    await page.getByRole('link', { name: 'Firewall feeds' }).click()
    const nft = await page.locator('#command-nftables').textContent()
    expect(nft).toBe(
      `curl -fsS -H "Authorization: Bearer $SENTRYPEER_API_TOKEN" '${apiUrl}/blocklist?format=nftables' | nft -f -`,
    )
    expect(await page.locator('#command-ipset').textContent()).toContain('| ipset restore -exist')
    expect(await page.locator('#command-bird').textContent()).toContain('format=bird')
    expect(await page.content()).not.toContain(TOKEN)
    const nftFeed = page.locator('.feed', { has: page.locator('#command-nftables') })
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apiUrl })
    await nftFeed.getByRole('button', { name: 'Copy command' }).click()
    await page.locator('.feed span[role="status"]', { hasText: 'Copied.' }).waitFor()
    const clipboard = await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    )
    expect(clipboard).toBe(nft)
    await nftFeed.getByRole('button', { name: 'Preview' }).click()
    await page.locator('pre.preview', { hasText: 'table inet sentrypeer' }).waitFor()
    await screenshot(page, 'feeds')
  })

  it('says P2P is off when the node runs without it', async () => {
    await page.getByRole('link', { name: 'Peers' }).click()
    await page.locator('#p2p-off').waitFor()
    expect(await page.locator('#p2p-off').textContent()).toContain('P2P is off on this node')
  })

  it('works with the keyboard alone', async () => {
    await page.goto(`${apiUrl}/#/overview`)
    await page.reload()
    await page.locator('#total-ips').waitFor()
    await page.keyboard.press('Tab')
    expect(
      await page.evaluate(() => (globalThis as unknown as Focus).document.activeElement?.textContent),
    ).toBe('Skip to content')
    // Overview, IP addresses, Numbers: Enter follows the focused link.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab')
    expect(
      await page.evaluate(() => (globalThis as unknown as Focus).document.activeElement?.textContent),
    ).toBe('Numbers')
    await page.keyboard.press('Enter')
    await page.locator('#numbers-table a', { hasText: NUMBER }).waitFor()
    expect(await page.locator('#nav a[aria-current="page"]').textContent()).toBe('Numbers')
  })

  it('logged no script errors and no CSP violations', () => {
    // Expected: the 401s before and with the wrong token, the 503 of /peers with P2P off.
    const unexpected = consoleErrors.filter((m) => !/status of (401|503) /.test(m))
    expect(unexpected).toEqual([])
  })
})
