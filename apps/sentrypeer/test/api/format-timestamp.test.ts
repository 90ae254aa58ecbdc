import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatTimestamp } from '../../src/api/format-timestamp.js'

describe('formatTimestamp', () => {
  it('equals Date#toISOString for any time, including edges and extended years', () => {
    for (const ms of [0, 1, 999, 86_399_999, 86_400_000, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5]) {
      expect(formatTimestamp(ms), String(ms)).toBe(new Date(ms).toISOString())
    }
    fc.assert(
      fc.property(fc.integer({ min: -8_640_000_000_000, max: 8_640_000_000_000_000 }), (ms) => {
        expect(formatTimestamp(ms)).toBe(new Date(ms).toISOString())
      }),
      { numRuns: 5000 },
    )
  })
})
