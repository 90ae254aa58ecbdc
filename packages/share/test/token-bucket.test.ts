import { describe, expect, it } from 'vitest'
import { TokenBuckets } from '../src/token-bucket.ts'

describe('TokenBuckets', () => {
  it('allows the burst, then the refill rate, per peer', () => {
    const b = new TokenBuckets(10, 5, 100)
    const t = 1_000_000
    for (let i = 0; i < 5; i++) expect(b.take('p', t)).toBe(true)
    expect(b.take('p', t)).toBe(false)
    expect(b.take('q', t)).toBe(true)
    expect(b.take('p', t + 100)).toBe(true)
    expect(b.take('p', t + 100)).toBe(false)
  })

  it('forgets the least recently seen peer beyond its capacity', () => {
    const b = new TokenBuckets(1, 1, 2)
    expect(b.take('a', 0)).toBe(true)
    expect(b.take('b', 0)).toBe(true)
    expect(b.take('c', 0)).toBe(true)
    // 'a' was forgotten, so it starts with a full bucket again
    expect(b.take('a', 0)).toBe(true)
    expect(b.take('c', 0)).toBe(false)
  })
})
