import { isIP } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizeIp } from '../src/index.js'

describe('normalizeIp', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1', 4],
    ['0.0.0.0', '0.0.0.0', 4],
    ['255.255.255.255', '255.255.255.255', 4],
    ['::ffff:192.0.2.1', '192.0.2.1', 4],
    ['::FFFF:192.0.2.1', '192.0.2.1', 4],
    ['0:0:0:0:0:ffff:c000:201', '192.0.2.1', 4],
    ['::ffff:c000:0201', '192.0.2.1', 4],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1', 6],
    ['2001:db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1', 6],
    ['2001:db8:0:0:1:0:0:0', '2001:db8:0:0:1::', 6],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 6],
    ['2001:0db8::0001', '2001:db8::1', 6],
    ['::', '::', 6],
    ['::1', '::1', 6],
    ['1::', '1::', 6],
    ['fe80::1%eth0', 'fe80::1', 6],
    ['::192.0.2.1', '::c000:201', 6],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201', 6],
  ] as const)('%s -> %s', (input, ip, family) => {
    expect(normalizeIp(input)).toEqual({ ip, family })
  })

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    'example.com',
    '[::1]',
    ':::',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::1',
    '1.2.3.4::',
    '::1.2.3.4:5',
    ':1::',
    '1:2:3:4:5:6:7',
    'fe80::1%',
    'a'.repeat(100),
  ])('rejects %j', (input) => {
    expect(normalizeIp(input)).toBeUndefined()
  })

  it('agrees with node:net on every address it accepts and round-trips its own output', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), fc.ipV4Extended(), fc.string()), (text) => {
        const result = normalizeIp(text)
        if (result === undefined) {
          // Only inputs that node:net also refuses (or IPv4 forms with leading zeros / octal) are refused.
          expect(isIP(text) === 0 || /(^|\.)0\d/.test(text)).toBe(true)
          return
        }
        expect(isIP(result.ip)).toBe(result.family)
        expect(normalizeIp(result.ip)).toEqual(result)
        const url = new URL(`http://${result.family === 6 ? `[${result.ip}]` : result.ip}/`)
        expect(url.hostname).toBe(result.family === 6 ? `[${result.ip}]` : result.ip)
      }),
      { numRuns: 2000 },
    )
  })
})
