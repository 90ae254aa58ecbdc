import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/config/errors.js'
import { resolveNodeId } from '../../src/config/node-id.js'

describe('resolveNodeId', () => {
  it('creates a UUID next to the database on first run and keeps it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-node-'))
    const db = join(dir, 'sub', 'sentrypeer.db')
    const first = resolveNodeId(db)
    expect(first).toMatch(/^[0-9a-f-]{36}$/)
    expect(readFileSync(join(dir, 'sub', 'sentrypeer-node-id'), 'utf8').trim()).toBe(first)
    expect(resolveNodeId(db)).toBe(first)
  })

  it('uses -N when given, without creating a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-node-'))
    expect(resolveNodeId(join(dir, 'x.db'), 'my-node')).toBe('my-node')
  })

  it('refuses a corrupt id file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-node-'))
    writeFileSync(join(dir, 'sentrypeer-node-id'), 'garbage\n')
    expect(() => resolveNodeId(join(dir, 'x.db'))).toThrow(ConfigError)
  })
})
