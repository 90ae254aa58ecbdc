import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from './helpers.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const child = path.join(here, 'fixtures', 'lazy-kysely.mjs')
const tsResolve = path.join(here, '..', '..', '..', 'scripts', 'ts-resolve.mjs')

/** One JSON line the child prints after a step. */
interface StepReport {
  step: string
  kyselyModules: number
  isBadIp?: boolean
  ips?: unknown
}

/** Runs the child on the store entry `entry` with the extra node flags `flags`; its step reports. */
async function runChild(entry: string, flags: string[], dbPath: string): Promise<StepReport[]> {
  const proc = spawn(process.execPath, [...flags, child, entry, dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject)
    proc.on('close', resolve)
  })
  expect(code, stderr).toBe(0)
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as StepReport)
}

let dir: string
let cleanup: () => void
beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
})
afterEach(() => cleanup())

describe('kysely is loaded only by the first list query', () => {
  const cases = [
    {
      name: 'the TypeScript source',
      entry: path.join(here, '..', 'src', 'index.ts'),
      flags: ['--import', tsResolve],
    },
    // The built package is what a daemon runs: the bundle must keep the require lazy.
    { name: 'the built package', entry: path.join(here, '..', 'dist', 'index.js'), flags: [] },
  ]
  it.each(cases)(
    '$name: record, flush and isBadIp load no kysely module, the first list query does',
    async ({ entry, flags }) => {
      expect(existsSync(entry), 'run the package build first').toBe(true)
      const [recorded, listed] = await runChild(entry, flags, path.join(dir, 'lazy.db'))
      expect(recorded).toEqual({ step: 'recorded', kyselyModules: 0, isBadIp: true })
      expect(listed?.step).toBe('listed')
      expect(listed?.ips).toEqual(['203.0.113.7'])
      expect(listed?.kyselyModules).toBeGreaterThan(0)
    },
  )
})
