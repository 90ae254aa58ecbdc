import { describe, expect, test } from 'vitest'
import {
  DEFAULT_LIMITS,
  LENIENCIES,
  type ParseOptions,
  type ParseResult,
  parse,
  type SipMessage,
  type SipRequest,
} from '../src/index.js'

const enc = (s: string) => new TextEncoder().encode(s)

const HEAD = [
  'OPTIONS sip:100@192.0.2.1 SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-1;rport',
  'From: <sip:scanner@192.0.2.9>;tag=abc',
  'To: <sip:100@192.0.2.1>',
  'Call-ID: 1234@192.0.2.9',
  'CSeq: 1 OPTIONS',
  'Max-Forwards: 70',
]
function build(extra: string[] = [], body = '', head = HEAD): string {
  return [...head, ...extra, `Content-Length: ${enc(body).length}`, '', body].join('\r\n')
}
function ok(r: ParseResult): SipMessage {
  if (!r.ok) throw new Error(`${r.error.code} at ${r.error.offset}: ${r.error.message}`)
  return r.message
}
function err(r: ParseResult): { code: string; offset: number } {
  if (r.ok) throw new Error('expected an error')
  return { code: r.error.code, offset: r.error.offset }
}
const p = (s: string, o?: ParseOptions) => parse(enc(s), o)

describe('start line', () => {
  test('request fields, lower-case version accepted, leading CRLFs ignored (RFC 3261 §7.5)', () => {
    const m = ok(p(`\r\n\r\n${build().replace('SIP/2.0\r\n', 'sip/2.0\r\n')}`)) as SipRequest
    expect([m.kind, m.method, m.requestUri, m.version]).toEqual([
      'request',
      'OPTIONS',
      'sip:100@192.0.2.1',
      'sip/2.0',
    ])
    expect(new TextDecoder().decode(m.raw).startsWith('OPTIONS')).toBe(true)
  })

  test.each([
    ['', 'EMPTY_MESSAGE'],
    ['\r\n\r\n', 'EMPTY_MESSAGE'],
    ['hello', 'BAD_START_LINE'],
    ['OPTIONS sip:a@b SIP/3.0\r\n\r\n', 'VERSION_NOT_SUPPORTED'],
    ['OPTIONS sip:a@b HTTP/1.1\r\n\r\n', 'BAD_START_LINE'],
    ['OPT(IONS sip:a@b SIP/2.0\r\n\r\n', 'BAD_METHOD'],
    ['OPTIONS sip:a@b;x\x01 SIP/2.0\r\n\r\n', 'BAD_REQUEST_URI'],
    ['OPTIONS  SIP/2.0\r\n\r\n', 'BAD_START_LINE'],
    ['OPTIONS nocolon SIP/2.0\r\n\r\n', 'BAD_REQUEST_URI'],
    ['SIP/2.0 99 Low\r\n\r\n', 'BAD_STATUS_CODE'],
    ['SIP/2.0 700 High\r\n\r\n', 'BAD_STATUS_CODE'],
    ['SIP/2.0 2000 OK\r\n\r\n', 'BAD_STATUS_CODE'],
    ['SIP/2.0 4294967496 OK\r\n\r\n', 'BAD_STATUS_CODE'],
    ['SIP/2.0 200\r\n\r\n', 'BAD_START_LINE'],
    ['SIP/2.1 200 OK\r\n\r\n', 'VERSION_NOT_SUPPORTED'],
  ])('%j → %s', (input, code) => {
    expect(err(p(input)).code).toBe(code)
  })

  test('a non-Uint8Array input is an error result, not an exception', () => {
    expect(err(parse('OPTIONS' as unknown as Uint8Array)).code).toBe('EMPTY_MESSAGE')
    expect(err(parse(null as unknown as Uint8Array)).code).toBe('EMPTY_MESSAGE')
  })
})

describe('headers', () => {
  test('any case and every compact form map to the canonical name', () => {
    const pairs: Array<[string, string, string]> = [
      ['o', 'Event', 'presence'],
      ['r', 'Refer-To', '<sip:x@y>'],
      ['b', 'Referred-By', '<sip:z@y>'],
      ['u', 'Allow-Events', 'dialog'],
      ['x', 'Session-Expires', '1800'],
      ['j', 'Reject-Contact', '*;audio'],
      ['a', 'Accept-Contact', '*;video'],
      ['d', 'Request-Disposition', 'proxy'],
      ['y', 'Identity', '"abc"'],
      ['n', 'Identity-Info', '<https://x/c>'],
      ['s', 'Subject', 'hi'],
      ['k', 'Supported', 'timer'],
      ['e', 'Content-Encoding', 'gzip'],
      ['c', 'Content-Type', 'text/plain'],
    ]
    const m = ok(
      p(
        build(
          pairs.map(([c, , v]) => `${c}: ${v}`),
          'x',
        ),
      ),
    )
    for (const [c, long, v] of pairs) {
      expect(m.header(long), long).toBe(v)
      expect(m.header(long.toUpperCase()), long).toBe(v)
      expect(m.header(c.toUpperCase()), c).toBe(v)
    }
    const compact = ok(
      p(
        [
          'OPTIONS sip:100@192.0.2.1 SIP/2.0',
          'v: SIP/2.0/UDP h;branch=z9hG4bK1',
          'f: <sip:a@b>;tag=1',
          't: <sip:c@d>',
          'i: cid',
          'CSEQ: 1 OPTIONS',
          'max-FORWARDS: 1',
          'm: <sip:a@192.0.2.9>',
          'l: 0',
          '',
          '',
        ].join('\r\n'),
      ),
    )
    expect([
      compact.via.length,
      compact.from.tag,
      compact.to.uri,
      compact.callId,
      compact.contact.length,
    ]).toEqual([1, '1', 'sip:c@d', 'cid', 1])
    expect(compact.contentLength).toBe(0)
    expect(compact.header('Call-ID')).toBe('cid')
  })

  test('line folding: CRLF + WSP becomes one SP; a value may start on a continuation line', () => {
    const m = ok(p(build(['Subject: first\r\n\t second\r\n   third', 'X-Empty-First:\r\n value'])))
    expect(m.header('subject')).toBe('first second third')
    expect(m.header('x-empty-first')).toBe('value')
    expect(m.headers.find((h) => h.name === 'Subject')?.value).toBe('first second third')
  })

  test('headers keeps names as sent, in order; headerValues splits list headers only', () => {
    const m = ok(
      p(
        build([
          'Allow: INVITE, ACK,OPTIONS',
          'Allow: BYE',
          'Route: <sip:a;lr>, "x, y" <sip:b;lr>',
          'WWW-Authenticate: Digest realm="a, b", nonce="n"',
          'X-Opaque: a, b',
        ]),
      ),
    )
    expect(m.headers.map((h) => h.name)).toEqual([
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Max-Forwards',
      'Allow',
      'Allow',
      'Route',
      'WWW-Authenticate',
      'X-Opaque',
      'Content-Length',
    ])
    expect(m.headerValues('allow')).toEqual(['INVITE', 'ACK', 'OPTIONS', 'BYE'])
    expect(m.headerValues('route')).toEqual(['<sip:a;lr>', '"x, y" <sip:b;lr>'])
    expect(m.headerValues('www-authenticate')).toEqual(['Digest realm="a, b", nonce="n"'])
    expect(m.headerValues('x-opaque')).toEqual(['a, b'])
    expect(m.headerValues('absent')).toEqual([])
    expect(m.header('absent')).toBeUndefined()
  })

  test('User-Agent: the value, undefined when absent', () => {
    expect(ok(p(build(['User-Agent: friendly-scanner']))).userAgent).toBe('friendly-scanner')
    expect(ok(p(build(['User-Agent:   sipcli/v1.8  ']))).userAgent).toBe('sipcli/v1.8')
    expect(ok(p(build())).userAgent).toBeUndefined()
  })

  test('Via, Contact (incl. *), CSeq, Max-Forwards accessors', () => {
    const m = ok(
      p(
        build([
          'Via: SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bK-2;received=192.0.2.2;rport=1234;ttl=16',
          'Contact: "A, B" <sip:a@192.0.2.9;transport=tcp>;expires=60, sip:b@192.0.2.9;q=0.5',
        ]),
      ),
    )
    expect(m.via).toHaveLength(2)
    expect(m.via[0]!.rport).toBe(true)
    expect(m.via[0]!.port).toBe(5060)
    expect(m.via[0]!.protocol).toBe('SIP/2.0')
    const v = m.via[1]!
    expect([v.transport, v.host, v.port, v.branch, v.received, v.rport, v.params.ttl]).toEqual([
      'TCP',
      '[2001:db8::1]',
      5061,
      'z9hG4bK-2',
      '192.0.2.2',
      1234,
      '16',
    ])
    expect(m.contact.map((c) => [c.displayName, c.uri, c.params])).toEqual([
      ['A, B', 'sip:a@192.0.2.9;transport=tcp', { expires: '60' }],
      [undefined, 'sip:b@192.0.2.9', { q: '0.5' }],
    ])
    expect(m.cseq).toEqual({ seq: 1, method: 'OPTIONS' })
    expect(m.maxForwards).toBe(70)
    const star = ok(
      p(
        build(['Contact: *', 'Expires: 0']).replace('OPTIONS', 'REGISTER').replace('1 OPTIONS', '1 REGISTER'),
      ),
    )
    expect(star.contact.map((c) => c.uri)).toEqual(['*'])
  })

  test('From/To/Contact URIs are checked structurally in parse; sip URIs are parsed on first access', () => {
    const m = ok(p(build(['Contact: <sip:a@b:99999>, <sip:c@d:5062;transport=tcp>'])))
    expect(m.contact[0]!.uri).toBe('sip:a@b:99999')
    expect(m.contact[0]!.parsedUri).toBeUndefined()
    expect(m.contact[1]!.parsedUri?.port).toBe(5062)
    expect(m.contact[1]!.parsedUri).toBe(m.contact[1]!.parsedUri) // cached
  })

  test('body and raw are views of the input (no copy)', () => {
    const input = enc(build([], 'hello'))
    const m = ok(parse(input))
    expect(m.body.buffer).toBe(input.buffer)
    expect(new TextDecoder().decode(m.body)).toBe('hello')
    expect(m.raw.buffer).toBe(input.buffer)
  })

  test.each([
    [['Call-ID: a', 'Call-ID: b'], 'DUPLICATE_HEADER'],
    [['Content-Length: 0'], 'DUPLICATE_HEADER'],
    [['Content-Length: 5'], 'CONFLICTING_CONTENT_LENGTH'],
    [['X: 1', ' folded-ok', 'NoColon'], 'BAD_HEADER'],
    [['Bad Name: 1'], 'BAD_HEADER'],
    [['Via: SIP/2.0/UDP'], 'BAD_VIA'],
    [['Via: SIP/2.0/UDP h;rport=x'], 'BAD_VIA'],
    [['Via: SIP/2.0/UDP h:70000'], 'BAD_VIA'],
    [['Via: SIP/2.0/UDP h;branch'], 'BAD_VIA'],
    [['Contact: <sip:a@b'], 'BAD_NAME_ADDR'],
    [['Contact: <sip:a@b>;'], 'BAD_NAME_ADDR'],
    [['Contact: sip:a@b, '], 'BAD_NAME_ADDR'],
    [['Contact: <sip:a b@c>'], 'BAD_NAME_ADDR'],
    [['Contact: <sip:>'], 'BAD_NAME_ADDR'],
    [['Contact: <:x>'], 'BAD_NAME_ADDR'],
    [['Date: Sat, 13 Nov 2010 23:29:00 GMT', 'X: y'], 'ok'],
    [['Date: yesterday'], 'BAD_DATE'],
  ])('%j → %s', (extra, code) => {
    const r = p(build(extra))
    expect(r.ok ? 'ok' : r.error.code).toBe(code)
  })

  test.each([
    ['From', 'From: a, b', 'BAD_NAME_ADDR'],
    ['To', 'To: <sip:a@b> <sip:c@d>', 'BAD_NAME_ADDR'],
    ['Call-ID', 'Call-ID: a b', 'BAD_CALL_ID'],
    ['CSeq', 'CSeq: 4294967296 OPTIONS', 'BAD_CSEQ'],
    ['CSeq', 'CSeq: -1 OPTIONS', 'BAD_CSEQ'],
    ['CSeq', 'CSeq: 1OPTIONS', 'BAD_CSEQ'],
    ['CSeq', 'CSeq: 1 INVITE', 'CSEQ_METHOD_MISMATCH'],
    ['CSeq', 'CSeq: 1 options', 'CSEQ_METHOD_MISMATCH'],
    ['Max-Forwards', 'Max-Forwards: 256', 'BAD_MAX_FORWARDS'],
    ['Max-Forwards', 'Max-Forwards: 0x10', 'BAD_MAX_FORWARDS'],
  ])('%s: %j → %s', (name, line, code) => {
    const head = HEAD.map((h) => (h.startsWith(`${name}:`) ? line : h))
    const r = p(build([], '', head))
    expect(r.ok ? 'ok' : r.error.code).toBe(code)
  })

  test('CSeq 2^32-1 and Max-Forwards 255 (with leading zeros) are accepted', () => {
    const head = HEAD.map((h) =>
      h.startsWith('CSeq') ? 'CSeq: 4294967295 OPTIONS' : h.startsWith('Max') ? 'Max-Forwards: 000255' : h,
    )
    const m = ok(p(build([], '', head)))
    expect([m.cseq.seq, m.maxForwards]).toEqual([4294967295, 255])
  })

  test('every mandatory header missing → MISSING_HEADER (Max-Forwards only for requests)', () => {
    for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards']) {
      const r = p(
        build(
          [],
          '',
          HEAD.filter((h) => !h.startsWith(`${name}:`)),
        ),
      )
      expect(r.ok ? 'ok' : r.error.code, name).toBe('MISSING_HEADER')
    }
  })

  test('error offsets point at the problem', () => {
    const text = build(['Max-Forwards: 70'])
    const r = err(p(text))
    expect(r.code).toBe('DUPLICATE_HEADER')
    expect(r.offset).toBe(text.lastIndexOf('Max-Forwards'))
    const cl = build([], 'abc').replace('Content-Length: 3', 'Content-Length: 3x')
    expect(err(p(cl))).toEqual({ code: 'BAD_CONTENT_LENGTH', offset: cl.indexOf('3x') })
  })
})

describe('body and Content-Length', () => {
  test('datagram: extra bytes after the body are ignored (RFC 3261 §18.3)', () => {
    const text = build([], 'abc')
    const m = ok(p(`${text}GARBAGE`))
    expect(new TextDecoder().decode(m.body)).toBe('abc')
    expect(m.raw.length).toBe(enc(text).length)
  })

  test('Content-Length beyond the datagram: BODY_INCOMPLETE; leniency contentLengthExceedsBody', () => {
    const text = build([], 'abc').replace('Content-Length: 3', 'Content-Length: 10')
    expect(err(p(text))).toEqual({ code: 'BODY_INCOMPLETE', offset: enc(text).length })
    const m = ok(p(text, { lenient: { contentLengthExceedsBody: true } }))
    expect(m.body.length).toBe(3)
    expect(m.leniencies).toEqual(['contentLengthExceedsBody'])
    expect(err(p(text, { transport: 'stream', lenient: { contentLengthExceedsBody: true } })).code).toBe(
      'BODY_INCOMPLETE',
    )
  })

  test('no Content-Length: fine without a body; a body needs the missingContentLength leniency', () => {
    const noCl = [...HEAD, '', ''].join('\r\n')
    expect(ok(p(noCl)).contentLength).toBeUndefined()
    expect(ok(p(noCl)).leniencies).toEqual([])
    const withBody = [...HEAD, '', 'body'].join('\r\n')
    expect(err(p(withBody)).code).toBe('MISSING_CONTENT_LENGTH')
    const m = ok(p(withBody, { lenient: { missingContentLength: true } }))
    expect(new TextDecoder().decode(m.body)).toBe('body')
    expect(m.leniencies).toEqual(['missingContentLength'])
  })

  test.each([['-1'], ['1e3'], [' '], ['99999999999999999999'], ['3, 3']])(
    'Content-Length %j → error',
    (v) => {
      const r = p(build([], 'abc').replace('Content-Length: 3', `Content-Length: ${v}`))
      expect(r.ok ? 'ok' : r.error.code).toMatch(/^BAD_CONTENT_LENGTH$|^BODY_TOO_LARGE$/)
    },
  )
})

describe('line endings and leniencies', () => {
  const lf = build([], 'x').replace(/\r\n/g, '\n')

  test('bare LF: BAD_LINE_ENDING at the LF; accepted under bareLf and recorded', () => {
    expect(err(p(lf))).toEqual({ code: 'BAD_LINE_ENDING', offset: lf.indexOf('\n') })
    const m = ok(p(lf, { lenient: { bareLf: true } }))
    expect(m.leniencies).toEqual(['bareLf'])
    expect(m.callId).toBe('1234@192.0.2.9')
    expect(new TextDecoder().decode(m.body)).toBe('x')
  })

  test('a bare CR in the header section is always an error', () => {
    const text = build(['X-A: a\rb'])
    expect(err(p(text, { lenient: { bareLf: true } }))).toEqual({
      code: 'BAD_LINE_ENDING',
      offset: text.indexOf('\rb'),
    })
  })

  test('unterminated header section: HEADERS_INCOMPLETE; leniency unterminatedHeaders on datagrams only', () => {
    const text = [...HEAD, 'Content-Length: 0'].join('\r\n')
    expect(err(p(text)).code).toBe('HEADERS_INCOMPLETE')
    expect(ok(p(text, { lenient: { unterminatedHeaders: true } })).leniencies).toEqual([
      'unterminatedHeaders',
    ])
    expect(err(p(text, { transport: 'stream', lenient: { unterminatedHeaders: true } })).code).toBe(
      'HEADERS_INCOMPLETE',
    )
  })

  test('missing Max-Forwards under missingMaxForwards; responses never need it', () => {
    const text = build(
      [],
      '',
      HEAD.filter((h) => !h.startsWith('Max-Forwards')),
    )
    const m = ok(p(text, { lenient: { missingMaxForwards: true } }))
    expect(m.leniencies).toEqual(['missingMaxForwards'])
    expect(m.maxForwards).toBeUndefined()
  })

  test('a leniency turned on but not needed is not recorded', () => {
    const all = Object.fromEntries(LENIENCIES.map((l) => [l, true]))
    expect(ok(p(build(), { lenient: all })).leniencies).toEqual([])
  })
})

describe('limits', () => {
  test('defaults are exported and each limit can be lowered', () => {
    expect(DEFAULT_LIMITS.maxMessageBytes).toBe(65535)
    const text = build(['Contact: <sip:a@b>, <sip:c@d>', 'Via: SIP/2.0/UDP h2;branch=z9hG4bK2'], 'hello')
    const len = enc(text).length
    const cases: Array<[ParseOptions['limits'], string]> = [
      [{ maxMessageBytes: len - 1 }, 'MESSAGE_TOO_LARGE'],
      [{ maxHeaderBytes: 64 }, 'HEADERS_TOO_LARGE'],
      [{ maxHeaders: 5 }, 'TOO_MANY_HEADERS'],
      [{ maxBodyBytes: 4 }, 'BODY_TOO_LARGE'],
      [{ maxStartLineBytes: 10 }, 'START_LINE_TOO_LONG'],
      [{ maxViaValues: 1 }, 'TOO_MANY_HEADERS'],
      [{ maxContactValues: 1 }, 'TOO_MANY_HEADERS'],
    ]
    for (const [limits, code] of cases) {
      const r = p(text, { limits })
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(limits)).toBe(code)
    }
    expect(ok(p(text, { limits: { maxMessageBytes: len } })).body.length).toBe(5)
    // invalid overrides are ignored (defaults kept), never thrown
    expect(p(text, { limits: { maxHeaders: -1, maxBodyBytes: Number.NaN } }).ok).toBe(true)
  })

  test('a message larger than the default limit is rejected before scanning', () => {
    const big = new Uint8Array(DEFAULT_LIMITS.maxMessageBytes + 1).fill(65)
    expect(err(parse(big)).code).toBe('MESSAGE_TOO_LARGE')
  })

  test('many headers and a long single line stay linear and within limits', () => {
    const many = build(Array.from({ length: 300 }, (_, i) => `X-H${i}: ${i}`))
    expect(err(p(many)).code).toBe('TOO_MANY_HEADERS')
    const long = build([`X-Long: ${'a'.repeat(40_000)}`])
    expect(err(p(long)).code).toBe('HEADERS_TOO_LARGE')
  })
})

test('a folded value with a long whitespace run unfolds correctly', () => {
  const run = ' '.repeat(20_000)
  const m = ok(p(build([`Subject: a${run}b\r\n c`])))
  expect(m.header('subject')).toBe(`a${run}b c`)
})
