import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { GuiNotBuiltError, loadGuiAssets } from '../../src/gui/index.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function guiDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-gui-assets-'))
  dirs.push(dir)
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body)
  return dir
}

describe('loadGuiAssets', () => {
  it('reads the built files with their content types and a strong ETag of the bytes', () => {
    const dir = guiDir({ 'index.html': '<!doctype html>', 'app.js': 'export {}', 'styles.css': 'a{}' })
    const gui = loadGuiAssets({ dir })
    expect(gui.error).toBeUndefined()
    expect(gui.dir).toBe(dir)
    expect(gui.get('index.html')?.contentType).toBe('text/html; charset=utf-8')
    expect(gui.get('app.js')?.contentType).toBe('text/javascript; charset=utf-8')
    expect(gui.get('styles.css')?.contentType).toBe('text/css; charset=utf-8')
    const digest = createHash('sha256').update('export {}').digest('base64url').slice(0, 27)
    expect(gui.get('app.js')?.etag).toBe(`"${digest}"`)
    expect(gui.get('index.html')?.etag).not.toBe(gui.get('app.js')?.etag)
  })

  it('serves no unknown types, directories, oversized files or names outside the directory', () => {
    const dir = guiDir({
      'index.html': 'x',
      'app.js': 'y',
      'secret.key': 'k',
      'app.ts': 'source',
      'big.js': Buffer.alloc(2048),
    })
    mkdirSync(join(dir, 'sub.js'))
    const gui = loadGuiAssets({ dir, maxFileBytes: 1024 })
    expect(gui.error).toBeUndefined()
    for (const name of [
      'secret.key',
      'app.ts',
      'big.js',
      'sub.js',
      '../index.html',
      '__proto__',
      'constructor',
    ]) {
      expect(gui.get(name), name).toBeUndefined()
    }
  })

  it('reports GUI_NOT_BUILT for a missing directory or one without the page and script', () => {
    const missing = loadGuiAssets({ dir: join(tmpdir(), 'sentrypeer-gui-does-not-exist') })
    expect(missing.error).toBeInstanceOf(GuiNotBuiltError)
    expect(missing.error?.code).toBe('GUI_NOT_BUILT')
    expect(loadGuiAssets({ dir: guiDir({ 'index.html': 'x' }) }).error?.code).toBe('GUI_NOT_BUILT')
    expect(loadGuiAssets({ dir: guiDir({ 'app.js': 'x' }) }).error?.code).toBe('GUI_NOT_BUILT')
  })
})
