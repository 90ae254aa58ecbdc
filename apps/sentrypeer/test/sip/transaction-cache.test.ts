import { describe, expect, it } from 'vitest'
import { TransactionCache } from '../../src/sip/transaction-cache.js'

describe('TransactionCache', () => {
  it('remembers an entry until its TTL', () => {
    let now = 1_000
    const cache = new TransactionCache({ maxEntries: 10, ttlMs: 100, now: () => now })
    cache.set('a', [new Uint8Array([1])])
    now += 99
    expect(cache.get('a')?.responses).toEqual([new Uint8Array([1])])
    now += 1
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('evicts the least recently used beyond the cap', () => {
    const cache = new TransactionCache({ maxEntries: 2, ttlMs: 10_000 })
    cache.set('a', [])
    cache.set('b', [])
    expect(cache.get('a')).toBeDefined() // a is now the most recent
    cache.set('c', [])
    expect(cache.size).toBe(2)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.get('a')).toBeDefined()
    expect(cache.get('c')).toBeDefined()
  })

  it('stays bounded under a flood of distinct keys', () => {
    const cache = new TransactionCache({ maxEntries: 100, ttlMs: 10_000 })
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`, [])
    expect(cache.size).toBe(100)
    expect(cache.get('k9999')).toBeDefined()
    expect(cache.get('k0')).toBeUndefined()
  })
})
