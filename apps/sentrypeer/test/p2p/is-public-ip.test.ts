import { describe, expect, it } from 'vitest'
import { isPublicIp } from '../../src/p2p/index.js'

describe('isPublicIp', () => {
  it('accepts public unicast IPv4 and IPv6', () => {
    for (const ip of [
      '45.77.0.2',
      '8.8.8.8',
      '1.1.1.1',
      '100.63.255.255',
      '100.128.0.1',
      '2a01:4f8::1',
      '2600::1',
    ]) {
      expect(isPublicIp(ip), ip).toBe(true)
    }
  })

  it('refuses private, loopback, link-local, CGNAT, multicast, documentation and reserved addresses', () => {
    const special = [
      '0.1.2.3',
      '10.0.0.1',
      '100.64.0.1',
      '100.127.255.254',
      '127.0.0.1',
      '169.254.1.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.8',
      '192.0.2.1',
      '192.168.1.1',
      '198.18.0.1',
      '198.19.255.255',
      '198.51.100.7',
      '203.0.113.9',
      '224.0.0.1',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:10.0.0.1',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '2001:db8::1',
      '3fff::1',
      '2001::1',
      '2002:c000:0201::1',
      'not an ip',
      '',
    ]
    for (const ip of special) expect(isPublicIp(ip), ip).toBe(false)
  })

  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(isPublicIp('::ffff:45.77.0.2')).toBe(true)
  })
})
