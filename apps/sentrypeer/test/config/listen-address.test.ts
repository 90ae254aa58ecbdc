import { describe, expect, it } from 'vitest'
import { formatListenAddress, parseListenAddress } from '../../src/config/listen-address.js'

describe('parseListenAddress', () => {
  it('parses IPv4 and bracketed IPv6', () => {
    expect(parseListenAddress('0.0.0.0:5060')).toEqual({ ok: true, address: { host: '0.0.0.0', port: 5060 } })
    expect(parseListenAddress('[::]:5060')).toEqual({ ok: true, address: { host: '::', port: 5060 } })
    expect(parseListenAddress('[::1]:0')).toEqual({ ok: true, address: { host: '::1', port: 0 } })
  })

  it('rejects names, bare IPv6, bad ports', () => {
    for (const bad of ['localhost:5060', '::1:5060', '[127.0.0.1]:5060', '1.2.3.4', '1.2.3.4:65536', '']) {
      expect(parseListenAddress(bad).ok, bad).toBe(false)
    }
  })

  it('formats back', () => {
    expect(formatListenAddress({ host: '::', port: 5060 })).toBe('[::]:5060')
    expect(formatListenAddress({ host: '127.0.0.1', port: 1 })).toBe('127.0.0.1:1')
  })
})
