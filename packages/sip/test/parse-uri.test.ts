import { describe, expect, test } from 'vitest'
import { parseUri, type SipUri } from '../src/index.js'
import { parseUriBytes } from '../src/parse-uri.js'
import { mutateStrings } from './fuzz-corpus.js'

function ok(text: string): SipUri {
  const r = parseUri(text)
  if (!r.ok) throw new Error(`${text}: ${r.error.code} at ${r.error.offset}: ${r.error.message}`)
  return r.uri
}
function code(text: string): string {
  const r = parseUri(text)
  return r.ok ? 'ok' : r.error.code
}

describe('parseUri', () => {
  test('sip URI with user, password, host, port, params and headers', () => {
    const u = ok('sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi%20there&Priority=urgent')
    expect(u.scheme).toBe('sip')
    expect(u.user).toBe('alice')
    expect(u.rawUser).toBe('alice')
    expect(u.password).toBe('secret')
    expect(u.host).toBe('example.com')
    expect(u.port).toBe(5070)
    expect(u.params).toEqual({ transport: 'tcp', lr: true })
    expect(u.headers).toEqual({ Subject: 'hi there', Priority: 'urgent' })
    expect(u.raw).toBe(
      'sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi%20there&Priority=urgent',
    )
  })

  test('scheme is case-insensitive; sips; no user part', () => {
    expect(ok('SIPS:example.com').scheme).toBe('sips')
    const u = ok('sip:example.com')
    expect(u.user).toBeUndefined()
    expect(u.port).toBeUndefined()
    expect(u.host).toBe('example.com')
  })

  test('IPv6 references keep their brackets; port after the bracket only', () => {
    expect([ok('sip:[2001:db8::10]').host, ok('sip:[2001:db8::10]').port]).toEqual([
      '[2001:db8::10]',
      undefined,
    ])
    const p = ok('sip:bob@[2001:db8::10]:5070;maddr=[2001:db8::1]')
    expect([p.user, p.host, p.port, p.params.maddr]).toEqual(['bob', '[2001:db8::10]', 5070, '[2001:db8::1]'])
    expect(ok('sip:[2001:db8::10:5070]').port).toBeUndefined()
    expect(code('sip:2001:db8::10')).toBe('BAD_URI')
    expect(code('sip:[2001:db8::10')).toBe('BAD_URI')
    expect(code('sip:[zz::1]')).toBe('BAD_URI')
  })

  test('%-unescaping happens exactly once, in user, password, params and headers', () => {
    const u = ok('sip:%61lice%2541:p%40ss@example.com;n%61me=v%61lue%25%34%31?h%3d=%3Csip:x%3E')
    expect(u.user).toBe('alice%41')
    expect(u.rawUser).toBe('%61lice%2541')
    expect(u.password).toBe('p@ss')
    expect(u.params.name).toBe('value%41')
    expect(u.headers['h=']).toBe('<sip:x>')
    expect(ok('sip:%E2%82%AC@example.com').user).toBe('€')
    expect(ok('sip:null-%00-null@example.com').user).toBe('null-\0-null')
  })

  test('bad escapes, bad ports, empty parts and stray characters are rejected with BAD_URI', () => {
    for (const bad of [
      'sip:%zz@example.com',
      'sip:%4@example.com',
      'sip:user@example.com:99999',
      'sip:user@example.com:123456',
      'sip:user@example.com:',
      'sip:user@',
      'sip:@example.com',
      'sip:user@exa mple.com',
      'sip:user@example.com;;lr',
      'sip:user@example.com;lr=',
      'sip:user@example.com?',
      'sip:user@example.com?a',
      'sip:user@example.com>',
      'sip:',
    ]) {
      expect(code(bad), bad).toBe('BAD_URI')
    }
  })

  test('user part may contain ; ? , / (RFC 3261 user-unreserved)', () => {
    const u = ok('sip:user;par=u%40example.net@example.com')
    expect(u.user).toBe('user;par=u@example.net')
    expect(u.params).toEqual({})
    expect(ok('sip:a?b,c/d@h').user).toBe('a?b,c/d')
  })

  test('tel URIs: the subscriber number as written, params unescaped', () => {
    const t = ok('tel:+1-201-555-0123;phone-context=example.com;ext=12')
    expect(t.scheme).toBe('tel')
    expect(t.user).toBe('+1-201-555-0123')
    expect(t.host).toBe('')
    expect(t.params).toEqual({ 'phone-context': 'example.com', ext: '12' })
    expect(ok('tel:(020)7946.0000').user).toBe('(020)7946.0000')
    expect(code('tel:')).toBe('BAD_URI')
    expect(code('tel:+')).toBe('BAD_URI')
    expect(code('tel:+44 20')).toBe('BAD_URI')
  })

  test('other schemes: UNSUPPORTED_URI_SCHEME; no scheme: BAD_URI; never throws', () => {
    expect(code('http://example.com')).toBe('UNSUPPORTED_URI_SCHEME')
    expect(code('mailto:a@b')).toBe('UNSUPPORTED_URI_SCHEME')
    expect(code('example.com')).toBe('BAD_URI')
    expect(code(':x')).toBe('BAD_URI')
    expect(code('')).toBe('BAD_URI')
    expect(code(undefined as unknown as string)).toBe('BAD_URI')
    const r = parseUri('sip:user@example.com:99999')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.offset).toBe(21) // the first digit of the port
  })
})

describe('parseUriBytes (used by parse) agrees with parseUri', () => {
  const seeds = [
    'sip:alice:secret@example.com:5070;transport=tcp;lr?Subject=hi%20there&Priority=urgent',
    'SIPS:example.com',
    'sip:[2001:db8::10]:5070;maddr=[2001:db8::1]',
    'sip:[2001:db8:::192.0.2.1]',
    'sip:2001:db8::10',
    'sip:%61lice%2541:p%40ss@example.com;n%61me=v%61lue%25%34%31?h%3d=%3Csip:x%3E',
    'sip:user;par=u%40example.net@example.com',
    "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
    'sip:sips%3Auser%40example.com@example.net',
    'sip:user@example.com?Route=%3Csip:example.com%3E',
    'tel:+1-201-555-0123;phone-context=example.com',
    'http://example.com',
    'nobodyKnowsThisScheme:totallyopaquecontent',
    'soap.beep://192.0.2.103:3002',
    'sip:user@example.com:99999',
    'sip:%zz@example.com',
    'sip:',
    'x',
    '',
  ]
  const chars = [';', '=', '?', '&', '@', ':', '[', ']', '%', '<', 'a', '0', '9', '/', ',']
  const inputs = [...seeds, ...mutateStrings(seeds, chars, 4000, 11)]

  test('same URI or same error (code and offset) for seeds and mutations, inside a larger buffer', () => {
    for (const uri of inputs) {
      const text = `INVITE ${uri} SIP/2.0`
      const bytes = new Uint8Array(Buffer.from(text, 'latin1'))
      const a = parseUri(uri)
      const b = parseUriBytes(bytes, 7, 7 + uri.length, text, 0)
      expect(JSON.parse(JSON.stringify(b)), uri).toEqual(JSON.parse(JSON.stringify(a)))
    }
  })
})
