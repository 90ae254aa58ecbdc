import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../src/constants.js'
import { InvalidLimitError } from '../src/errors.js'
import { createFramer, type FramerEvent, type FramerInit } from '../src/framer.js'
import { corpusDir } from './corpus.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const tortureDir = corpusDir('sip-torture')
const fixturesDir = path.join(here, 'fixtures')

const enc = new TextEncoder()
const bytes = (text: string): Uint8Array => enc.encode(text)
const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1')
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(fixturesDir, name)))

function frame(input: Uint8Array | string, init?: FramerInit, chunkSize?: number): FramerEvent[] {
  const data = typeof input === 'string' ? bytes(input) : input
  const framer = createFramer(init)
  if (chunkSize === undefined) return framer.push(data)
  const events: FramerEvent[] = []
  for (let i = 0; i < data.length; i += chunkSize)
    events.push(...framer.push(data.subarray(i, i + chunkSize)))
  return events
}

/** Events with message bytes as strings, for readable comparisons. */
function show(events: FramerEvent[]): unknown[] {
  return events.map((e) => (e.type === 'message' ? { type: 'message', text: text(e.bytes) } : e))
}

function request(headers: string[], body = ''): string {
  return ['OPTIONS sip:100@127.0.0.1 SIP/2.0', ...headers, '', body].join('\r\n')
}

const OPTIONS = request([
  'Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-1',
  'Call-ID: a',
  'Content-Length: 0',
])
const WITH_BODY = request(['Call-ID: b', 'Content-Type: text/plain', 'Content-Length: 5'], 'hello')

function errorCode(events: FramerEvent[]): string | undefined {
  const last = events.at(-1)
  return last?.type === 'error' ? last.error.code : undefined
}

describe('createFramer: messages', () => {
  it('returns one message for one chunk holding one message, without copying', () => {
    const data = fixture('sipp-uac-invite.sip')
    const events = createFramer().push(data)
    expect(events).toHaveLength(1)
    const [event] = events
    expect(event?.type).toBe('message')
    if (event?.type !== 'message') return
    expect(text(event.bytes)).toBe(text(data))
    expect(event.bytes.buffer).toBe(data.buffer)
  })

  it('frames every real capture byte for byte, whole and one byte at a time', () => {
    for (const name of readdirSync(fixturesDir).filter((f) => f.endsWith('.sip'))) {
      const data = fixture(name)
      const expected = [{ type: 'message', text: text(data) }]
      expect(show(frame(data)), name).toEqual(expected)
      expect(show(frame(data, undefined, 1)), name).toEqual(expected)
    }
  })

  it('cuts several messages out of one chunk and keeps the body out of the next message', () => {
    const events = frame(OPTIONS + WITH_BODY + OPTIONS)
    expect(show(events)).toEqual([
      { type: 'message', text: OPTIONS },
      { type: 'message', text: WITH_BODY },
      { type: 'message', text: OPTIONS },
    ])
  })

  it('joins a message split over many chunks and holds only the incomplete message', () => {
    const framer = createFramer()
    const data = bytes(WITH_BODY + OPTIONS.slice(0, 10))
    expect(framer.push(data.subarray(0, 7))).toEqual([])
    expect(framer.buffered).toBe(7)
    const events = framer.push(data.subarray(7))
    expect(show(events)).toEqual([{ type: 'message', text: WITH_BODY }])
    expect(framer.buffered).toBe(10)
  })

  it('waits for the whole body', () => {
    const framer = createFramer()
    const data = bytes(WITH_BODY)
    expect(framer.push(data.subarray(0, data.length - 1))).toEqual([])
    expect(show(framer.push(data.subarray(data.length - 1)))).toEqual([{ type: 'message', text: WITH_BODY }])
    expect(framer.buffered).toBe(0)
  })

  it('accepts the compact form, any case, whitespace before the colon, folding and leading zeros', () => {
    const variants = [
      'l: 5',
      'L:5',
      'content-length: 5',
      'CONTENT-LENGTH:     5   ',
      'Content-Length  :\t5',
      'Content-Length:\r\n  5',
      'Content-Length: 5\r\n\t',
      'Content-Length: 0005',
    ]
    for (const header of variants) {
      const message = request(['Call-ID: x', header], 'hello')
      expect(show(frame(message + OPTIONS, undefined, 3)), header).toEqual([
        { type: 'message', text: message },
        { type: 'message', text: OPTIONS },
      ])
    }
  })

  it('does not take other headers for Content-Length', () => {
    for (const header of [
      'Content-Lengthy: 5',
      'lx: 5',
      'xl: 5',
      'Content-Type: 5',
      'Content Length: 5',
      'l x: 5',
    ]) {
      const events = frame(request(['Call-ID: x', header], 'hello'))
      expect(errorCode(events), header).toBe('MISSING_CONTENT_LENGTH')
    }
  })

  it('only reads Content-Length in the header section, not in folded lines or the body', () => {
    const body = 'Content-Length: 999\r\n\r\nl: 7\r\n'
    const message = request(['Subject: a', ' l: 99', 'Content-Length: ' + body.length], body)
    expect(show(frame(message + OPTIONS, undefined, 5))).toEqual([
      { type: 'message', text: message },
      { type: 'message', text: OPTIONS },
    ])
  })

  it('frames messages with bare LF line ends and leaves judging them to the parser', () => {
    const message = 'OPTIONS sip:a@b SIP/2.0\nCall-ID: x\nContent-Length: 2\n\nok'
    expect(show(frame(message + message, undefined, 1))).toEqual([
      { type: 'message', text: message },
      { type: 'message', text: message },
    ])
  })

  it('accepts a repeated Content-Length with the same value', () => {
    const message = request(['Content-Length: 5', 'l: 005'], 'hello')
    expect(show(frame(message))).toEqual([{ type: 'message', text: message }])
  })

  it('frames a response like a request', () => {
    const response = 'SIP/2.0 200 OK\r\nCall-ID: a\r\nContent-Length: 2\r\n\r\nok'
    expect(show(frame(response + response, undefined, 5))).toEqual([
      { type: 'message', text: response },
      { type: 'message', text: response },
    ])
  })

  it('frames the RFC 4475 torture messages that carry a correct Content-Length', () => {
    const framed: string[] = []
    for (const name of readdirSync(tortureDir).filter((f) => f.endsWith('.sip'))) {
      const data = new Uint8Array(readFileSync(path.join(tortureDir, name)))
      const whole = frame(data)
      // The framer is split-invariant on every one of them, valid or not.
      expect(show(frame(data, undefined, 1)), name).toEqual(show(whole))
      expect(show(frame(data, undefined, 7)), name).toEqual(show(whole))
      if (whole.length === 1 && whole[0]?.type === 'message' && whole[0].bytes.length === data.length) {
        framed.push(name)
      }
    }
    // Messages that are whole and valid on a stream.
    for (const name of [
      '3.1.1.1_wsinv.sip',
      '3.1.1.2_intmeth.sip',
      '3.1.1.6_lwsdisp.sip',
      '3.1.1.7_longreq.sip',
    ]) {
      expect(framed).toContain(name)
    }
  })

  it('reports the torture messages with a broken Content-Length', () => {
    const torture = (name: string) => new Uint8Array(readFileSync(path.join(tortureDir, name)))
    // 3.1.2.3 ncl: Content-Length -999.
    expect(errorCode(frame(torture('3.1.2.3_ncl.sip')))).toBe('BAD_CONTENT_LENGTH')
    // 3.3.9 mcl01: two Content-Length headers, 13 and 5.
    expect(errorCode(frame(torture('3.3.9_mcl01.sip')))).toBe('CONFLICTING_CONTENT_LENGTH')
    // 3.1.2.2 clerr: Content-Length 9999 with a 154-byte body; on a stream that means waiting for more.
    const clerr = torture('3.1.2.2_clerr.sip')
    const framer = createFramer()
    expect(framer.push(clerr)).toEqual([])
    expect(framer.buffered).toBe(clerr.length)
  })
})

describe('createFramer: keep-alives (RFC 5626 §3.5.1)', () => {
  it('reports a double CRLF as a ping as soon as it is complete', () => {
    const framer = createFramer()
    expect(framer.push(bytes('\r\n\r'))).toEqual([])
    expect(framer.push(bytes('\n'))).toEqual([{ type: 'keepalive', kind: 'ping' }])
    expect(framer.buffered).toBe(0)
  })

  it('reports a single CRLF before a message as a pong', () => {
    expect(show(frame('\r\n' + OPTIONS))).toEqual([
      { type: 'keepalive', kind: 'pong' },
      { type: 'message', text: OPTIONS },
    ])
  })

  it('decides a lone CRLF only when the next byte arrives', () => {
    const framer = createFramer()
    expect(framer.push(bytes('\r\n'))).toEqual([])
    expect(show(framer.push(bytes(OPTIONS)))).toEqual([
      { type: 'keepalive', kind: 'pong' },
      { type: 'message', text: OPTIONS },
    ])
  })

  it('reports keep-alives between and after messages in order', () => {
    const input = '\r\n\r\n' + OPTIONS + '\r\n\r\n\r\n' + WITH_BODY + '\r\n\r\n\r\n\r\n'
    const expected = [
      { type: 'keepalive', kind: 'ping' },
      { type: 'message', text: OPTIONS },
      { type: 'keepalive', kind: 'ping' },
      { type: 'keepalive', kind: 'pong' },
      { type: 'message', text: WITH_BODY },
      { type: 'keepalive', kind: 'ping' },
      { type: 'keepalive', kind: 'ping' },
    ]
    expect(show(frame(input))).toEqual(expected)
    expect(show(frame(input, undefined, 1))).toEqual(expected)
  })

  it('fails on a CR not followed by LF between messages', () => {
    const events = frame('\r\n\r\n\r\r\n')
    expect(events).toEqual([
      { type: 'keepalive', kind: 'ping' },
      { type: 'error', error: { code: 'BAD_FRAMING', offset: 5, message: expect.any(String) } },
    ])
  })
})

describe('createFramer: errors', () => {
  it('fails without Content-Length and then ignores the stream', () => {
    const framer = createFramer()
    const message = 'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n'
    const events = framer.push(bytes(OPTIONS + message))
    expect(events[0]?.type).toBe('message')
    expect(events[1]).toEqual({
      type: 'error',
      error: {
        code: 'MISSING_CONTENT_LENGTH',
        offset: OPTIONS.length + message.length - 1,
        message: expect.any(String),
      },
    })
    expect(framer.push(bytes(OPTIONS))).toEqual([])
    expect(framer.buffered).toBe(0)
  })

  it('rejects negative, non-numeric, empty, split and overflowing values', () => {
    for (const value of [
      '-1',
      'abc',
      '',
      '   ',
      '5a',
      '1 2',
      '+5',
      '0x10',
      '99999999999999999999',
      '5;x=1',
    ]) {
      const events = frame(request([`Content-Length: ${value}`, 'Call-ID: x'], 'hello'), undefined, 2)
      expect(errorCode(events), JSON.stringify(value)).toBe('BAD_CONTENT_LENGTH')
    }
  })

  it('rejects Content-Length headers that disagree', () => {
    const events = frame(request(['Content-Length: 5', 'Call-ID: x', 'l: 6'], 'hello!'))
    expect(errorCode(events)).toBe('CONFLICTING_CONTENT_LENGTH')
  })

  it('rejects a body over maxBodyBytes as soon as the header line is complete', () => {
    const framer = createFramer({ limits: { maxBodyBytes: 100 } })
    // No end of the header section yet: the line after Content-Length is enough.
    const events = framer.push(bytes('INVITE sip:a@b SIP/2.0\r\nContent-Length: 101\r\nV'))
    expect(errorCode(events)).toBe('BODY_TOO_LARGE')
    expect(framer.buffered).toBe(0)
    expect(
      errorCode(frame(request(['Content-Length: 100'], 'x'.repeat(100)), { limits: { maxBodyBytes: 100 } })),
    ).toBe(undefined)
  })

  it('rejects a message over maxMessageBytes at the end of its header section', () => {
    const message = request(['Content-Length: 50'], 'x'.repeat(50))
    const limit = message.length - 1
    expect(errorCode(frame(message, { limits: { maxMessageBytes: limit } }))).toBe('MESSAGE_TOO_LARGE')
    expect(show(frame(message, { limits: { maxMessageBytes: message.length } }))).toEqual([
      { type: 'message', text: message },
    ])
  })

  it('rejects a header section over maxHeaderBytes before keeping it', () => {
    const limit = 1024
    const framer = createFramer({ limits: { maxHeaderBytes: limit } })
    const junk = bytes('INVITE sip:a@b SIP/2.0\r\n' + 'X-Junk: yyyyyyyy\r\n'.repeat(10_000))
    const events = framer.push(junk)
    expect(events).toEqual([
      { type: 'error', error: { code: 'HEADERS_TOO_LARGE', offset: limit, message: expect.any(String) } },
    ])
    expect(framer.buffered).toBe(0)
  })

  it('never holds more than maxHeaderBytes of a header section fed in small chunks', () => {
    const limit = 1000
    const framer = createFramer({ limits: { maxHeaderBytes: limit } })
    const line = bytes('INVITE sip:a@b SIP/2.0\r\nX: ' + 'y'.repeat(5000))
    let events: FramerEvent[] = []
    for (let i = 0; i < line.length && events.length === 0; i += 13) {
      events = framer.push(line.subarray(i, i + 13))
      expect(framer.buffered).toBeLessThanOrEqual(limit)
    }
    expect(errorCode(events)).toBe('HEADERS_TOO_LARGE')
  })

  it('accepts a header section of exactly maxHeaderBytes', () => {
    const message = request(['Content-Length: 0'])
    expect(show(frame(message, { limits: { maxHeaderBytes: message.length } }, 4))).toEqual([
      { type: 'message', text: message },
    ])
    expect(errorCode(frame(message, { limits: { maxHeaderBytes: message.length - 1 } }, 4))).toBe(
      'HEADERS_TOO_LARGE',
    )
  })

  it('counts header fields, not folded lines or the start-line', () => {
    const headers = ['Content-Length: 0', 'Subject: a', ' folded', '\tfolded again', 'Call-ID: x']
    const message = request(headers)
    expect(show(frame(message, { limits: { maxHeaders: 3 } }))).toEqual([{ type: 'message', text: message }])
    expect(errorCode(frame(message, { limits: { maxHeaders: 2 } }))).toBe('TOO_MANY_HEADERS')
  })

  it('gives stream offsets in errors across messages and chunks', () => {
    const bad = 'OPTIONS sip:a@b SIP/2.0\r\nl: x\r\n\r\n'
    const events = frame(OPTIONS + bad, undefined, 3)
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: {
        code: 'BAD_CONTENT_LENGTH',
        offset: OPTIONS.length + bad.indexOf('x'),
        message: expect.any(String),
      },
    })
  })
})

describe('createFramer: options', () => {
  it('throws InvalidLimitError for a limit that is not a positive safe integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createFramer({ limits: { maxBodyBytes: bad } }), String(bad)).toThrow(InvalidLimitError)
    }
  })

  it('uses the parser limits by default', () => {
    const framer = createFramer()
    const header = bytes('INVITE sip:a@b SIP/2.0\r\nX: ' + 'y'.repeat(DEFAULT_LIMITS.maxHeaderBytes))
    expect(errorCode(framer.push(header))).toBe('HEADERS_TOO_LARGE')
    const events = frame(request([`Content-Length: ${DEFAULT_LIMITS.maxBodyBytes + 1}`, 'Call-ID: x']))
    expect(errorCode(events)).toBe('BODY_TOO_LARGE')
  })
})
