import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { tempDir } from '../helpers/paths.js'

/** Debian's Chromium (`apt-get install -y --no-install-recommends chromium`; CI installs it). */
export const CHROMIUM = '/usr/bin/chromium'

/**
 * Launches headless Chromium with a fresh profile in `dir` (no network beyond what the page asks,
 * no background services) and collects console errors and page errors.
 */
export async function launchChromium(
  dir: string,
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium`)
  }
  const profile = join(dir, 'chromium-profile')
  mkdirSync(profile)
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const consoleErrors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text())
  })
  page.on('pageerror', (e) => consoleErrors.push(e.message))
  return { context, page, consoleErrors }
}

/** Saves a full-page screenshot into a fresh temporary directory and logs its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(tempDir('sentrypeer-gui-shots-'), `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  console.log(`screenshot: ${path}`)
  return path
}
