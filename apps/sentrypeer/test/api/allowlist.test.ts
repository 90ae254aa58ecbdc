import { BlockList } from 'node:net'
import { networkInterfaces } from 'node:os'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAllowlist, InvalidCidrError, parseCidr } from '../../src/api/index.js'

describe('createAllowlist', () => {
  it('allows loopback, RFC 1918, link-local, ULA and the host own addresses by default', () => {
    const allow = createAllowlist()
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.1.1',
      '::1',
      'fd00::1',
      'fe80::1',
    ]) {
      expect(allow.has(ip), ip).toBe(true)
    }
    for (const ip of ['172.32.0.1', '203.0.113.1', '2001:db8::1', '11.0.0.1'])
      expect(allow.has(ip), ip).toBe(false)
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? [])
        expect(allow.has(info.address.split('%')[0] ?? ''), info.address).toBe(true)
    }
  })

  it('adds --allow entries and can drop the defaults', () => {
    const allow = createAllowlist({
      cidrs: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7'],
      defaults: false,
    })
    expect(allow.has('203.0.113.200')).toBe(true)
    expect(allow.has('2001:db8:1::5')).toBe(true)
    expect(allow.has('198.51.100.7')).toBe(true)
    expect(allow.has('198.51.100.8')).toBe(false)
    expect(allow.has('127.0.0.1')).toBe(false)
    expect(allow.has('not an ip')).toBe(false)
  })

  it('rejects invalid entries with a named error, and parseCidr never throws', () => {
    expect(() => createAllowlist({ cidrs: ['10.0.0.0/33'] })).toThrow(InvalidCidrError)
    expect(() => createAllowlist({ cidrs: ['example.com'] })).toThrow(InvalidCidrError)
    expect(parseCidr('2001:db8::/129')).toMatchObject({ ok: false })
    expect(parseCidr('10.0.0.0/x')).toMatchObject({ ok: false })
    expect(parseCidr('10.0.0.0/8')).toEqual({
      ok: true,
      value: { address: '10.0.0.0', prefix: 8, family: 4 },
    })
  })

  it('agrees with node:net BlockList on random IPv4 addresses and ranges', () => {
    const octet = fc.integer({ min: 0, max: 255 })
    const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'))
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })), { maxLength: 5 }),
        fc.array(ipv4),
        (ranges, ips) => {
          const reference = new BlockList()
          for (const [address, prefix] of ranges) reference.addSubnet(address, prefix, 'ipv4')
          const allow = createAllowlist({ cidrs: ranges.map(([a, p]) => `${a}/${p}`), defaults: false })
          for (const ip of ips) expect(allow.has(ip), ip).toBe(reference.check(ip, 'ipv4'))
        },
      ),
      { numRuns: 500 },
    )
  })
})
