import { describe, expect, it } from 'vitest'
import { normalizeNumber } from '../src/index.js'

describe('normalizeNumber', () => {
  it.each([
    ['+44 (20) 7946-0000', '+442079460000'],
    ['00-44-20-7946-0000', '00442079460000'],
    ['0046812345678', '0046812345678'],
    ['9011972599000000', '9011972599000000'],
    ['*31#100', '*31#100'],
    ['+1.555.0100;isub=12', '+15550100'],
    ['alice.smith', 'alice.smith'],
    ['100abc', '100abc'],
    ['', ''],
    ['++44', '++44'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected)
  })
})
