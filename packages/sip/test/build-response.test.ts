import { spawn } from 'node:child_process'
import dgram from 'node:dgram'
import { describe, expect, test } from 'vitest'
import {
  buildResponse,
  InvalidResponseInitError,
  type ParseResult,
  parse,
  type SipRequest,
  type SipResponse,
  stableToTag,
} from '../src/index.js'
import { readMessage, TORTURE_ROWS } from './corpus.js'

const enc = (s: string) => new TextEncoder().encode(s)
const dec = (b: Uint8Array) => new TextDecoder().decode(b)
const source = { address: '198.51.100.7', port: 40123 }

function request(text: string): SipRequest {
  const r = parse(enc(text))
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`)
  if (r.message.kind !== 'request') throw new Error('not a request')
  return r.message
}
function response(bytes: Uint8Array): SipResponse {
  const r: ParseResult = parse(bytes)
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}\n${dec(bytes)}`)
  if (r.message.kind !== 'response') throw new Error('not a response')
  return r.message
}

const INVITE = [
  'INVITE sip:+441234567890@203.0.113.1 SIP/2.0',
  'Via: SIP/2.0/UDP proxy.example.com:5070;branch=z9hG4bKtop;rport',
  'Via: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bKmid;received=192.0.2.99',
  'v: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKlast',
  'Record-Route: <sip:rr1.example.com;lr>, <sip:rr2.example.com;lr>',
  'From: "Alice" <sip:alice@example.com>;tag=a1b2',
  'To: <sip:+441234567890@203.0.113.1>',
  'Call-ID: call-1@example.com',
  'CSeq: 314 INVITE',
  'Max-Forwards: 70',
  'Content-Length: 0',
  '',
  '',
].join('\r\n')

describe('buildResponse', () => {
  test('copies every Via in order; top Via gets received and a filled rport (RFC 3581)', () => {
    const res = response(buildResponse(request(INVITE), { status: 180, source }))
    expect(res.via.map((v) => v.branch)).toEqual(['z9hG4bKtop', 'z9hG4bKmid', 'z9hG4bKlast'])
    expect(res.via[0]!.rport).toBe(40123)
    expect(res.via[0]!.received).toBe('198.51.100.7')
    expect(res.via[0]!.host).toBe('proxy.example.com')
    expect(res.via[0]!.port).toBe(5070)
    // lower Vias are copied verbatim, received untouched
    expect(res.via[1]!.received).toBe('192.0.2.99')
    expect(res.via[1]!.transport).toBe('TCP')
    expect(res.via[2]!.host).toBe('[2001:db8::1]')
  })

  test('adds received without rport when the request has no rport; replaces an existing received', () => {
    const req = request(INVITE.replace(';rport', ';received=10.0.0.1'))
    const text = dec(buildResponse(req, { status: 200, source }))
    const top = response(enc(text)).via[0]!
    expect(top.rport).toBeUndefined()
    expect(top.received).toBe('198.51.100.7')
    expect(text).not.toContain('10.0.0.1')
  })

  test('IPv6 source: received is the bare address (RFC 5118 §4.5)', () => {
    const res = response(
      buildResponse(request(INVITE), { status: 200, source: { address: '2001:db8::77', port: 5062 } }),
    )
    expect(res.via[0]!.received).toBe('2001:db8::77')
    expect(res.via[0]!.rport).toBe(5062)
  })

  test('copies From, Call-ID, CSeq; adds a To tag; status line and reason', () => {
    const req = request(INVITE)
    const res = response(buildResponse(req, { status: 486, source }))
    expect(res.status).toBe(486)
    expect(res.reason).toBe('Busy Here')
    expect(res.from.raw).toBe('"Alice" <sip:alice@example.com>;tag=a1b2')
    expect(res.from.tag).toBe('a1b2')
    expect(res.callId).toBe('call-1@example.com')
    expect(res.cseq).toEqual({ seq: 314, method: 'INVITE' })
    expect(res.to.uri).toBe('sip:+441234567890@203.0.113.1')
    expect(res.to.tag).toBe(stableToTag(req))
    expect(res.to.tag).toMatch(/^[0-9a-f]{16}$/)
  })

  test('To tag is stable per request and differs between requests; an existing tag is kept', () => {
    const a = response(buildResponse(request(INVITE), { status: 200, source })).to.tag
    const b = response(buildResponse(request(INVITE), { status: 487, source })).to.tag
    expect(a).toBe(b)
    const other = response(
      buildResponse(request(INVITE.replace('call-1@', 'call-2@')), { status: 200, source }),
    )
    expect(other.to.tag).not.toBe(a)
    const tagged = request(INVITE.replace('To: <sip:+441234567890@203.0.113.1>', 'To: <sip:x@y>;tag=keep'))
    const res = response(buildResponse(tagged, { status: 200, source, toTag: 'ignored' }))
    expect(res.to.tag).toBe('keep')
    expect(res.headerValues('to')).toHaveLength(1)
    const custom = response(buildResponse(request(INVITE), { status: 200, source, toTag: 'mine' }))
    expect(custom.to.tag).toBe('mine')
  })

  test('Content-Length matches the body (string and bytes); caller headers kept in order', () => {
    const body = 'v=0\r\no=- 1 1 IN IP4 203.0.113.1\r\ns=ü\r\n'
    const bytes = buildResponse(request(INVITE), {
      status: 200,
      source,
      headers: [
        ['Content-Type', 'application/sdp'],
        ['Server', 'SentryPeer'],
        ['Content-Length', '999'],
      ],
      body,
    })
    const res = response(bytes)
    expect(res.contentLength).toBe(enc(body).length)
    expect(dec(res.body)).toBe(body)
    expect(res.contentType).toBe('application/sdp')
    expect(res.header('server')).toBe('SentryPeer')
    expect(res.headerValues('content-length')).toEqual([String(enc(body).length)])
    const bin = new Uint8Array([0, 13, 10, 255])
    const res2 = response(buildResponse(request(INVITE), { status: 200, source, body: bin }))
    expect([...res2.body]).toEqual([0, 13, 10, 255])
  })

  test('Record-Route is copied (in order) into dialog-establishing responses only', () => {
    const rr = ['<sip:rr1.example.com;lr>', '<sip:rr2.example.com;lr>']
    expect(
      response(buildResponse(request(INVITE), { status: 200, source })).headerValues('record-route'),
    ).toEqual(rr)
    expect(
      response(buildResponse(request(INVITE), { status: 180, source })).headerValues('record-route'),
    ).toEqual(rr)
    expect(
      response(buildResponse(request(INVITE), { status: 404, source })).headerValues('record-route'),
    ).toEqual([])
  })

  test('bad init is a programmer error: InvalidResponseInitError with a stable code', () => {
    const req = request(INVITE)
    for (const init of [
      { status: 99, source },
      { status: 700, source },
      { status: 200.5, source },
      { status: 200, source, reason: 'OK\r\nX-Injected: 1' },
      { status: 200, source, headers: [['Bad Name', 'x']] as Array<[string, string]> },
      { status: 200, source, headers: [['X-A', 'a\r\nX-B: b']] as Array<[string, string]> },
      { status: 200, source, toTag: 'a b' },
    ]) {
      expect(() => buildResponse(req, init)).toThrow(InvalidResponseInitError)
    }
    try {
      buildResponse(req, { status: 1, source })
    } catch (e) {
      expect((e as InvalidResponseInitError).code).toBe('INVALID_RESPONSE_INIT')
    }
  })

  test('building a response from each valid torture request never throws and parses back', () => {
    let built = 0
    for (const row of TORTURE_ROWS.filter((r) => r.expected !== 'invalid')) {
      const r = parse(readMessage(row), { lenient: { missingContentLength: true, missingMaxForwards: true } })
      if (!r.ok) {
        // valid-but-odd 4.6 has a Content-Length larger than its body: rejected strictly
        expect(row.file).toBe('4.6_ipv6-in-sdp.sip')
        continue
      }
      if (r.message.kind !== 'request') continue
      const res = response(buildResponse(r.message, { status: 501, source }))
      expect(res.via).toHaveLength(r.message.via.length)
      expect(res.callId).toBe(r.message.callId)
      expect(res.cseq).toEqual(r.message.cseq)
      expect(res.from.tag).toBe(r.message.from.tag)
      built++
    }
    expect(built).toBeGreaterThan(30)
  })
})

describe('SIPVicious round-trip', () => {
  test('a SIPVicious-style OPTIONS: the reply echoes the From tag', () => {
    const options = [
      'OPTIONS sip:100@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-2758082427;rport',
      'Max-Forwards: 70',
      'To: "sipvicious"<sip:100@1.1.1.1>',
      'From: "sipvicious"<sip:100@1.1.1.1>;tag=3766303030303031653532610132393738363337373031',
      'User-Agent: friendly-scanner',
      'Call-ID: 396319139264382861948731',
      'Contact: sip:100@127.0.0.1:5060',
      'CSeq: 1 OPTIONS',
      'Accept: application/sdp',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n')
    const req = request(options)
    expect(req.userAgent).toBe('friendly-scanner')
    const res = response(buildResponse(req, { status: 200, source: { address: '127.0.0.1', port: 5060 } }))
    expect(res.from.tag).toBe('3766303030303031653532610132393738363337373031')
    expect(res.to.displayName).toBe('sipvicious')
    expect(res.to.tag).toBe(stableToTag(req))
  })

  // Real tool: svmap scans a UDP socket we answer with buildResponse; it only reports a device when
  // the reply matches its request (it decodes the target from the From tag it sent).
  test('svmap finds a responder built on parse + buildResponse', async () => {
    const socket = dgram.createSocket('udp4')
    const seen: SipRequest[] = []
    socket.on('message', (msg, rinfo) => {
      const r = parse(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength))
      if (!r.ok || r.message.kind !== 'request') return
      seen.push(r.message)
      const reply = buildResponse(r.message, {
        status: 200,
        source: { address: rinfo.address, port: rinfo.port },
        headers: [
          ['Server', 'SentryPeerTest/1.0'],
          ['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE'],
        ],
      })
      socket.send(reply, rinfo.port, rinfo.address)
    })
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    const port = socket.address().port
    // svmap binds its own source port: pick a free one near ours to avoid 5060 used by others
    const local = await new Promise<number>((resolve) => {
      const probe = dgram.createSocket('udp4')
      probe.bind(0, '127.0.0.1', () => {
        const p = probe.address().port
        probe.close(() => resolve(p))
      })
    })
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('svmap', ['-b', '127.0.0.1', '-P', String(local), '-p', String(port), '127.0.0.1'])
      let text = ''
      child.stdout.on('data', (d) => {
        text += d
      })
      child.stderr.on('data', (d) => {
        text += d
      })
      child.on('error', reject)
      child.on('close', () => resolve(text))
    })
    socket.close()
    expect(seen.length).toBeGreaterThan(0)
    expect(seen[0]!.method).toBe('OPTIONS')
    expect(out).toContain(`127.0.0.1:${port}`)
    expect(out).toContain('SentryPeerTest/1.0')
  })
})

describe('sipsak round-trip', () => {
  // Real tool: sipsak sends an OPTIONS and exits 0 only when a final response matching its request
  // (Via branch, Call-ID, CSeq) comes back.
  test('sipsak accepts the 200 built by buildResponse; rport is filled with its real source port', async () => {
    const socket = dgram.createSocket('udp4')
    const sources: number[] = []
    socket.on('message', (msg, rinfo) => {
      const r = parse(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength))
      if (!r.ok || r.message.kind !== 'request') return
      sources.push(rinfo.port)
      socket.send(
        buildResponse(r.message, {
          status: 200,
          source: { address: rinfo.address, port: rinfo.port },
          headers: [['Server', 'SentryPeerTest/1.0']],
        }),
        rinfo.port,
        rinfo.address,
      )
    })
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
    const port = socket.address().port
    const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn('sipsak', ['-vv', '-s', `sip:100@127.0.0.1:${port}`])
      let text = ''
      child.stdout.on('data', (d) => {
        text += d
      })
      child.stderr.on('data', (d) => {
        text += d
      })
      child.on('error', reject)
      child.on('close', (c) => resolve({ code: c, out: text }))
    })
    socket.close()
    expect(code).toBe(0)
    expect(out).toContain('SIP/2.0 200 OK')
    expect(out).toContain('final received')
    expect(sources).toHaveLength(1)
    expect(out).toContain(`rport=${sources[0]}`)
    expect(out).toContain('received=127.0.0.1')
  })
})
