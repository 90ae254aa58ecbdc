import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ApiServer, createAllowlist, createApiServer, createMetrics } from '../../src/api/index.js'
import { buildGui } from '../../src/gui/build-gui.js'
import { GUI_CONTENT_SECURITY_POLICY, loadGuiAssets } from '../../src/gui/index.js'
import { createClock, tempStore } from '../api/helpers.js'

/** The GUI as the API server serves it: a real build of the bundle, a real store, a real socket. */
describe('GUI routes of the API server', () => {
  const token = 'gui-routes-token'
  const clock = createClock()
  let guiDir: string
  let emptyDir: string
  let server: ApiServer
  let bare: ApiServer
  let cleanup: () => Promise<void>

  beforeAll(async () => {
    guiDir = mkdtempSync(join(tmpdir(), 'sentrypeer-gui-'))
    emptyDir = mkdtempSync(join(tmpdir(), 'sentrypeer-gui-empty-'))
    await buildGui(guiDir)
    const s = tempStore(clock)
    cleanup = s.cleanup
    const components = {
      store: s.store,
      metrics: createMetrics(),
      allowlist: createAllowlist(),
      now: clock.now,
    }
    server = await createApiServer(
      { host: '127.0.0.1', port: 0, token },
      { ...components, gui: loadGuiAssets({ dir: guiDir }) },
    )
    bare = await createApiServer(
      { host: '127.0.0.1', port: 0 },
      { ...components, metrics: createMetrics(), gui: loadGuiAssets({ dir: emptyDir }) },
    )
  })
  afterAll(async () => {
    await server?.close()
    await bare?.close()
    await cleanup?.()
    rmSync(guiDir, { recursive: true, force: true })
    rmSync(emptyDir, { recursive: true, force: true })
  })

  it('serves the page without a token, with a strict CSP and no inline script or style', async () => {
    const res = await fetch(`${server.url}/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toBe(GUI_CONTENT_SECURITY_POLICY)
    expect(GUI_CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(GUI_CONTENT_SECURITY_POLICY).not.toContain('unsafe')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const html = await res.text()
    expect(html).toContain('<script type="module" src="gui/app.js"></script>')
    // Every script has a src (no inline code), no inline handlers, no style elements or attributes.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="/)
    expect(html).not.toMatch(/\son[a-z]+=/i)
    expect(html).not.toMatch(/<style|\sstyle=/i)
    expect(html).not.toMatch(/https?:\/\//) // no external resources
    // The data routes still need the token.
    expect((await fetch(`${server.url}/ip-addresses`)).status).toBe(401)
  })

  it('serves the script and stylesheet with their content types, and 304 on a matching ETag', async () => {
    const js = await fetch(`${server.url}/gui/app.js`)
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(js.headers.get('content-security-policy')).toBe(GUI_CONTENT_SECURITY_POLICY)
    const body = await js.text()
    expect(body.length).toBeGreaterThan(1000)
    expect(body).not.toMatch(/from\s*["']@sentrypeer\/client["']/) // the client is bundled in
    const css = await fetch(`${server.url}/gui/styles.css`)
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8')
    const etag = js.headers.get('etag')
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    const again = await fetch(`${server.url}/gui/app.js`, { headers: { 'if-none-match': etag ?? '' } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    const stale = await fetch(`${server.url}/gui/app.js`, { headers: { 'if-none-match': '"old"' } })
    expect(stale.status).toBe(200)
  })

  it('answers HEAD without a body', async () => {
    const res = await fetch(`${server.url}/`, { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(await res.text()).toBe('')
  })

  it('serves nothing but the built files', async () => {
    for (const path of ['/gui/nope.js', '/gui/..%2Fpackage.json', '/gui/%2e%2e%2fapp.ts', '/gui/']) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.status, path).toBe(404)
      expect(((await res.json()) as { code: string }).code, path).toBe('NOT_FOUND')
    }
    expect((await fetch(`${server.url}/gui/../package.json`)).status).toBe(404)
  })

  it('answers 503 GUI_NOT_BUILT when the GUI files are missing', async () => {
    const res = await fetch(`${bare.url}/`)
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ code: 'GUI_NOT_BUILT' })
    expect((await fetch(`${bare.url}/health-check`)).status).toBe(200)
  })
})
