import { describe, expect, it } from 'vitest'
import { TransactionCache } from '../../src/sip/transaction-cache.js'

describe('TransactionCache', () => {
  it('remembers an entry until its TTL', () => {
    let now = 1_000
    const cache = new TransactionCache({ maxEntries: 10, ttlMs: 100, now: () => now })
    cache.set('a', { responses: [new Uint8Array([1])] })
    now += 99
    expect(cache.get('a')?.responses).toEqual([new Uint8Array([1])])
    now += 1
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('evicts the oldest transaction beyond the cap, however often it was retransmitted', () => {
    const cache = new TransactionCache({ maxEntries: 2, ttlMs: 10_000 })
    cache.set('a')
    cache.set('b')
    expect(cache.get('a')).toBeDefined() // a retransmission: the transaction's life still counts from its start
    cache.set('c')
    expect(cache.size).toBe(2)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.get('b')).toBeDefined()
    expect(cache.get('c')).toBeDefined()
  })

  it('keeps a key set again (a CANCEL answered after its INVITE) for its new life, not its first', () => {
    let now = 1_000
    const cache = new TransactionCache({ maxEntries: 3, ttlMs: 100, now: () => now })
    cache.set('invite', { responses: [new Uint8Array([1])] })
    cache.set('x')
    now += 50
    cache.set('invite', { responses: [new Uint8Array([2])] }) // same key again: a fresh entry, the old slot goes stale
    cache.set('y') // the ring is full: its oldest slot (the stale one) goes, not the live entry
    expect(cache.get('invite')?.responses).toEqual([new Uint8Array([2])])
    now += 60 // 110 ms after the first set, 60 after the second
    expect(cache.get('x')).toBeUndefined()
    expect(cache.get('invite')?.responses).toEqual([new Uint8Array([2])])
    now += 40
    expect(cache.get('invite')).toBeUndefined()
  })

  it('drops expired entries from the old end as new ones come', () => {
    let now = 0
    const cache = new TransactionCache({ maxEntries: 1_000, ttlMs: 10, now: () => now })
    for (let i = 0; i < 500; i++) {
      cache.set(i)
      now += 1
    }
    expect(cache.size).toBeLessThanOrEqual(12)
    expect(cache.get(499)).toBeDefined()
    cache.clear()
    expect(cache.size).toBe(0)
    cache.set('after-clear')
    expect(cache.size).toBe(1)
  })

  it('stays bounded under a flood of distinct keys', () => {
    const cache = new TransactionCache({ maxEntries: 100, ttlMs: 10_000 })
    for (let i = 0; i < 10_000; i++) cache.set(`k${i}`)
    expect(cache.size).toBe(100)
    expect(cache.get('k9999')).toBeDefined()
    expect(cache.get('k0')).toBeUndefined()
  })

  it('keeps the bytes of an INVITE and given responses, and no response bytes otherwise', () => {
    const cache = new TransactionCache({ maxEntries: 10, ttlMs: 10_000 })
    cache.set('options')
    cache.set('invite', { inviteBytes: new Uint8Array([9]) })
    expect(cache.get('options')).toBeDefined()
    expect(cache.get('options')).not.toHaveProperty('responses')
    expect(cache.get('options')).not.toHaveProperty('inviteBytes')
    expect(cache.get('invite')?.inviteBytes).toEqual(new Uint8Array([9]))
  })
})
