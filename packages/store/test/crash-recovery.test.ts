import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore } from '../src/index.js'
import { tempDir } from './helpers.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const writer = path.join(here, 'fixtures', 'crash-writer.mjs')

let dir: string
let cleanup: () => void
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(() => cleanup())

describe('crash recovery', () => {
  it('a writer killed with SIGKILL mid-write leaves an intact database with every flushed event', async () => {
    // The child runs the built package; `pnpm test` builds first (turbo `test` depends on `build`).
    expect(existsSync(path.join(here, '..', 'dist', 'index.js')), 'run the package build first').toBe(true)
    const file = path.join(dir, 'crash.db')
    const child = spawn(process.execPath, [writer, file], { stdio: ['ignore', 'pipe', 'inherit'] })
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    )
    let output = ''
    let insertedBeforeKill = 0
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.stdout.setEncoding('utf8')
      child.stdout.on('data', (chunk: string) => {
        output += chunk
        const ticks = output.match(/tick (\d+)\n/g) ?? []
        // Kill while the writer is busy: after it has done plenty of further flushes.
        if (output.startsWith('flushed\n') && ticks.length >= 30 && insertedBeforeKill === 0) {
          insertedBeforeKill = Number(/tick (\d+)\n$/.exec(ticks[ticks.length - 1]!)?.[1])
          child.kill('SIGKILL')
          resolve()
        }
      })
      child.on('exit', () => resolve())
    })
    expect(await exited).toBe('SIGKILL')
    expect(insertedBeforeKill).toBeGreaterThan(1000)

    const db = new Database(file)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const flushed = db.prepare("SELECT count(*) FROM events WHERE event_uuid LIKE 'flushed-%'").pluck().get()
    expect(flushed).toBe(1000)
    // Everything the child reported as written is there (the last batches may or may not be).
    const total = db.prepare('SELECT count(*) FROM events').pluck().get() as number
    expect(total).toBeGreaterThanOrEqual(insertedBeforeKill)
    // Summaries are written in the same transaction as their events: they agree after the crash.
    const summary = db.prepare("SELECT seen_count FROM ips WHERE ip = '203.0.113.1'").pluck().get()
    const events = db.prepare("SELECT count(*) FROM events WHERE source_ip = '203.0.113.1'").pluck().get()
    expect(summary).toBe(events)
    const distinct = db.prepare('SELECT count(DISTINCT source_ip) FROM events').pluck().get()
    expect(db.prepare('SELECT count(*) FROM ips').pluck().get()).toBe(distinct)
    db.close()

    // And the store opens on it and keeps working.
    const store = openStore({ path: file })
    expect(store.lookupIp('203.0.113.1')?.seenCount).toBe(events)
    await store.close()
  })
})
