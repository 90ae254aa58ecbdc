import { describe, expect, it } from 'vitest'
import { parseDuration } from '../../src/config/duration.js'

describe('parseDuration', () => {
  it('reads milliseconds and units', () => {
    expect(parseDuration('1500')).toBe(1500)
    expect(parseDuration('90s')).toBe(90_000)
    expect(parseDuration('30m')).toBe(1_800_000)
    expect(parseDuration('12h')).toBe(43_200_000)
    expect(parseDuration('7d')).toBe(604_800_000)
    expect(parseDuration('0.5s')).toBe(500)
  })

  it('rejects anything else', () => {
    expect(parseDuration('7 weeks')).toBeUndefined()
    expect(parseDuration('-1s')).toBeUndefined()
    expect(parseDuration('')).toBeUndefined()
  })
})
