/**
 * The byte-level Via and name-addr parsers (used for ASCII, unfolded values) must give exactly what the
 * string parsers (used for folded or UTF-8 values) give: differential tests on every header value of the
 * torture corpus, on crafted edge cases, and on deterministic mutations of them.
 */
import { describe, expect, test } from 'vitest'
import { splitListB } from '../src/byte-scan.js'
import { parseNameAddr, parseNameAddrBytes } from '../src/parse-name-addr.js'
import { parseVia, parseViaBytes } from '../src/parse-via.js'
import { splitList } from '../src/split-list.js'
import { readMessage, TORTURE_ROWS } from './corpus.js'
import { mutateStrings } from './fuzz-corpus.js'

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1')

/** Parse `value` both ways, as it would sit inside a larger header section (prefix/suffix bytes). */
function both<T>(
  value: string,
  str: (s: string) => T | undefined,
  byt: (b: Uint8Array, s: number, e: number, text: string, base: number) => T | undefined,
): [unknown, unknown] {
  const section = `X: ${value}\r\nNext: ;<>",\r\n`
  const bytes = new Uint8Array(Buffer.from(section, 'latin1'))
  const base = 0
  const start = 3
  const end = 3 + value.length
  const a = str(value)
  const b = byt(bytes, start, end, latin1(bytes), base)
  const norm = (x: T | undefined) => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)))
  return [norm(a), norm(b)]
}

/** Header values of the corpus that the byte path would see: ASCII, unfolded, split on commas. */
function corpusValues(names: RegExp): string[] {
  const out: string[] = []
  for (const row of TORTURE_ROWS) {
    const text = latin1(readMessage(row))
    const head = text.split('\r\n\r\n')[0] ?? ''
    for (const line of head.split('\r\n').slice(1)) {
      const m = /^([^:\s]+)\s*:\s*(.*)$/.exec(line)
      if (!m || !names.test(m[1]!) || /[^\x20-\x7e]/.test(m[2]!)) continue
      for (const part of splitList(m[2]!.trim())) out.push(part)
    }
  }
  return out
}

function mutations(seeds: string[], count: number): string[] {
  const chars = [' ', '\t', ';', '=', '"', '\\', '<', '>', ',', ':', '[', ']', '?', '@', '/', 'a', '0', '%']
  return mutateStrings(seeds, chars, count, 7).map((s) => s.trim())
}

const VIA_CASES = [
  'SIP/2.0/UDP 192.0.2.1',
  'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport',
  'SIP / 2.0 / tcp host.example.com ; branch = x ; received=[2001:db8::1] ; rport=5062',
  'sip/2.0/udp h;ttl=1;maddr=239.1.1.1;X=Y',
  'SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111',
  'SIP/2.0/UDP h;branch',
  'SIP/2.0/UDP h;received',
  'SIP/2.0/UDP h;rport=x',
  'SIP/2.0/UDP h;rport=123456',
  'SIP/2.0/UDP h:70000',
  'SIP/2.0/UDP h;;',
  'SIP/2.0/UDP',
  'SIP/2.0/UDPh',
  'SIP/2.0 UDP h',
  'SIP/2.0/UDP [zz]',
  'SIP/2.0/UDP h;p="quoted \\" value";branch=b',
  'SIP/2.0/UDP h;p="unterminated',
]

const NAME_ADDR_CASES = [
  'sip:a@b',
  '<sip:a@b>',
  '"Alice" <sip:alice@example.com>;tag=1',
  'Alice Liddell  <sip:alice@example.com> ; tag = 2 ; x',
  'caller<sip:caller@example.com>;tag=323',
  '"a \\"b\\"" <sip:x@y>',
  'sip:+19725552222@gw1.example.net;unknownparam',
  '<sip:+19725552222@gw1.example.net;unknownparam>',
  'isbn:2983792873',
  '<http://www.example.com>;tag=3234233',
  'sip:user@example.com?Route=%3Csip:sip.example.com%3E',
  '<sip:user@example.com?Route=%3Csip:sip.example.com%3E>',
  '< sip:t.watson@example.org >',
  '"Mr. J. User <sip:j.user@example.com>',
  'Bell, Alexander <sip:a.g.bell@example.com>',
  '<sip:a@b>;',
  '<sip:a@b',
  '<:x>',
  'sip:',
  '',
  'tel:+1-201-555-0123;tag=x',
  'SIPS:bob@example.com;TAG=Upper',
]

describe('byte and string parsers agree', () => {
  test('Via: corpus values, edge cases and mutations', () => {
    const seeds = [...corpusValues(/^(via|v)$/i), ...VIA_CASES]
    expect(seeds.length).toBeGreaterThan(60)
    for (const value of [...seeds, ...mutations(seeds, 3000)]) {
      const [a, b] = both(value, parseVia, parseViaBytes)
      expect(b, value).toEqual(a)
    }
  })

  test('name-addr: corpus From/To/Contact/Route values, edge cases and mutations', () => {
    const seeds = [...corpusValues(/^(from|f|to|t|contact|m|route|record-route)$/i), ...NAME_ADDR_CASES]
    expect(seeds.length).toBeGreaterThan(100)
    for (const value of [...seeds, ...mutations(seeds, 3000)]) {
      const [a, b] = both(value, parseNameAddr, parseNameAddrBytes)
      expect(b, value).toEqual(a)
    }
  })

  test('list splitting on bytes matches splitList', () => {
    for (const value of [
      'a, b ,c',
      '"Doe, John" <sip:j@x>;q=1, <sip:k@y;p=a,b>',
      'x,,',
      '"a \\" , b" <s>, c',
      '',
    ]) {
      const bytes = new Uint8Array(Buffer.from(value, 'latin1'))
      const bounds = splitListB(bytes, 0, bytes.length)
      const parts: string[] = []
      for (let k = 0; k < bounds.length; k += 2) parts.push(value.slice(bounds[k], bounds[k + 1]))
      expect(parts, value).toEqual(splitList(value))
    }
  })
})
