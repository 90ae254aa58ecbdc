import { beforeEach, describe, expect, it } from 'vitest'
import { resetUuidV7State, uuidV7 } from '../../src/sip/uuid-v7.js'

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function timeOf(uuid: string): number {
  return Number.parseInt(uuid.slice(0, 8) + uuid.slice(9, 13), 16)
}

describe('uuidV7', () => {
  beforeEach(() => resetUuidV7State())

  it('is an RFC 9562 version 7 UUID carrying the millisecond it was given', () => {
    const ms = Date.UTC(2026, 10, 21, 14, 30, 0, 123)
    const uuid = uuidV7(ms)
    expect(uuid).toMatch(V7)
    expect(timeOf(uuid)).toBe(ms)
    expect(timeOf(uuidV7(0xffff_ffff_ffff))).toBe(0xffff_ffff_ffff)
  })

  it('sorts in the order the UUIDs were made, within one millisecond and across a counter overflow', () => {
    const ms = 1_763_735_400_000
    const made = Array.from({ length: 10_000 }, () => uuidV7(ms))
    expect([...made].sort()).toEqual(made)
    expect(new Set(made).size).toBe(made.length)
    for (const uuid of made) expect(uuid).toMatch(V7)
    // 10,000 in one millisecond overflow the 12-bit counter: later ones borrow the next milliseconds.
    expect(timeOf(made[0]!)).toBe(ms)
    expect(timeOf(made.at(-1)!)).toBeGreaterThan(ms)
    expect(timeOf(made.at(-1)!)).toBeLessThan(ms + 10)
  })

  it('never goes backwards when the clock does', () => {
    const a = uuidV7(2_000_000)
    const b = uuidV7(1_000_000)
    expect(b > a).toBe(true)
    expect(timeOf(b)).toBe(2_000_000)
    const c = uuidV7(3_000_000)
    expect(timeOf(c)).toBe(3_000_000)
  })

  it('differs in its random bits between calls in different milliseconds', () => {
    const tails = new Set(Array.from({ length: 1000 }, (_, i) => uuidV7(1_000 + i).slice(19)))
    expect(tails.size).toBe(1000)
  })
})
