/**
 * The P2P panel in a real Chromium against two real P2P daemons on loopback: node B serves the API
 * (no token) and the GUI, node A bootstraps to B; the panel shows A's standing and B's identity.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { createClient } from '@sentrypeer/client'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DaemonProcess, readyLine, spawnDaemon } from '../helpers/daemon-process.js'
import { tempDir } from '../helpers/paths.js'
import { launchChromium, screenshot } from './chromium.js'

interface Ready {
  peerId: string
  p2p: string[]
  api?: string
}

const ready = (daemon: DaemonProcess): Ready => readyLine<Ready>(daemon)

describe('the P2P panel in Chromium', () => {
  let dir: string
  const daemons: DaemonProcess[] = []
  let browser: BrowserContext
  let page: Page
  let consoleErrors: string[] = []
  let b: Ready
  let a: Ready

  beforeAll(async () => {
    dir = tempDir('sentrypeer-gui-peers-')
    // Each node in its own directory: the node id and P2P key files live in the working directory.
    mkdirSync(join(dir, 'a'))
    mkdirSync(join(dir, 'b'))
    const common = ['-p', '-R', '--p2p-listen', '/ip4/127.0.0.1/tcp/0']
    const nodeB = await spawnDaemon(
      [...common, '-a', '--api-listen', '127.0.0.1:0', '--analytics', '-f', join(dir, 'b', 'b.db')],
      { cwd: join(dir, 'b') },
    )
    daemons.push(nodeB)
    b = ready(nodeB)
    const nodeA = await spawnDaemon([...common, '-b', b.p2p[0] ?? '', '-f', join(dir, 'a', 'a.db')], {
      cwd: join(dir, 'a'),
    })
    daemons.push(nodeA)
    a = ready(nodeA)
    // Wait until B knows A (the test timeout bounds it).
    const api = createClient({ baseUrl: b.api ?? '' })
    while (!(await api.getPeers()).peers.some((p) => p.peer_id === a.peerId)) {
      await new Promise((r) => setTimeout(r, 100))
    }
    ;({ context: browser, page, consoleErrors } = await launchChromium(dir))
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    await Promise.all(daemons.map((d) => d.stop('SIGTERM')))
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("shows this node, each peer's standing with the reason, and the network totals", async () => {
    await page.goto(`${b.api}/#/peers`)
    const table = page.locator('table', { has: page.locator('caption', { hasText: 'Peer standing' }) })
    const row = table.locator('tr', { hasText: a.peerId })
    await row.waitFor()
    const api = createClient({ baseUrl: b.api ?? '' })
    const standing = (await api.getPeers()).peers.find((p) => p.peer_id === a.peerId)
    expect(standing).toBeDefined()
    const cells = await row.locator('td').allTextContents()
    expect(cells[0]).toBe(a.peerId)
    expect(['earned', 'grace', 'none']).toContain(cells[1])
    expect((cells[2] ?? '').length).toBeGreaterThan(0) // the reason
    expect(cells[3]).toBe('0') // A recorded nothing
    expect(await page.locator('dl.facts').textContent()).toContain(b.peerId)
    expect(await page.locator('#p2p-off').count()).toBe(0)
    await page.locator('h3', { hasText: 'Network' }).waitFor()
    await screenshot(page, 'peers')
    expect(consoleErrors).toEqual([])
  })
})
