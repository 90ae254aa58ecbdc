/**
 * RFC 4475 and RFC 5118 torture messages, table-driven from the corpus INDEX.tsv files: one test per
 * message. Every INDEX row must have an entry below (a row without one fails), so the corpus and the
 * assertions cannot drift apart silently.
 */
import { describe, expect, test } from 'vitest'
import {
  calledNumber,
  type ParseOptions,
  type ParseResult,
  parse,
  parseUri,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from '../src/index.js'
import { readMessage, TORTURE_ROWS } from './corpus.js'

const text = (b: Uint8Array): string => new TextDecoder().decode(b)

function ok(r: ParseResult): SipMessage {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code} at ${r.error.offset}: ${r.error.message}`)
  return r.message
}
function req(r: ParseResult): SipRequest {
  const m = ok(r)
  expect(m.kind).toBe('request')
  return m as SipRequest
}
function res(r: ParseResult): SipResponse {
  const m = ok(r)
  expect(m.kind).toBe('response')
  return m as SipResponse
}
function uri(s: string): SipUri {
  const r = parseUri(s)
  if (!r.ok) throw new Error(`expected a URI, got ${r.error.code}: ${r.error.message}`)
  return r.uri
}
const vias = (m: SipMessage) => m.via.map((v) => [v.transport, v.host, v.port, v.branch])

/** valid: parse with the fields the INDEX names. */
const VALID: Record<string, (bytes: Uint8Array) => void> = {
  '3.1.1.1_wsinv.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe('INVITE')
    const ru = uri(m.requestUri)
    expect([ru.user, ru.host, ru.params.unknownparam]).toEqual(['vivekg', 'chair-dnrc.example.com', true])
    expect(m.maxForwards).toBe(68)
    expect(m.cseq).toEqual({ seq: 9, method: 'INVITE' })
    expect(vias(m)).toEqual([
      ['UDP', '192.0.2.2', undefined, '390skdjuw'],
      ['TCP', 'spindle.example.com', undefined, 'z9hG4bK9ikj8'],
      ['UDP', '192.168.255.111', undefined, 'z9hG4bK30239'],
    ])
    expect(m.from.displayName).toBe('J Rosenberg \\"')
    expect(m.from.tag).toBe('98asjd8')
    expect(m.from.uri).toBe('sip:jdrosen@example.com')
    expect(m.to.tag).toBe('1918181833n')
    expect(m.to.uri).toBe('sip:vivekg@chair-dnrc.example.com')
    expect(m.header('UnknownHeaderWithUnusualValue')).toBe(';;,,;;,;')
    expect(m.headerValues('unknownheaderwithunusualvalue')).toEqual([';;,,;;,;'])
    expect(m.header('Subject')).toBe('')
    expect(m.header('NewFangledHeader')).toBe('newfangled value continued newfangled value')
    expect(m.contact).toHaveLength(1)
    expect(m.contact[0]!.displayName).toBe('Quoted string ""')
    expect(m.contact[0]!.params).toEqual({ newparam: 'newvalue', secondparam: true, q: '0.33' })
    expect(m.callId).toBe('wsinv.ndaksdj@192.0.2.1')
    expect(m.contentType).toBe('application/sdp')
    expect(m.contentLength).toBe(150)
    expect(m.body).toHaveLength(150)
    expect(text(m.body).startsWith('v=0\r\n')).toBe(true)
    expect(m.leniencies).toEqual([])
  },
  '3.1.1.2_intmeth.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe("!interesting-Method0123456789_*+`.%indeed'~")
    const ru = uri(m.requestUri)
    expect(ru.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*")
    expect(ru.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)")
    expect(ru.host).toBe('example.com')
    expect(m.to.displayName).toBe('BEL:\x07 NUL:\x00 DEL:\x7f')
    expect(m.from.displayName).toBe("token1~` token2'+_ token3*%!.-")
    expect(m.from.tag).toBe("_token~1'+`*%!-.")
    expect(m.from.params["fromparam''~+*_!.-%"]).toBe('работающий')
    expect(m.callId).toBe('intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{')
    expect(m.cseq).toEqual({ seq: 139122385, method: "!interesting-Method0123456789_*+`.%indeed'~" })
    expect(m.maxForwards).toBe(255)
    expect(m.header("extensionHeader-!.%*+_`'~")).toBe('\ufeff大停電')
    expect(m.via[0]!.branch).toBe("z9hG4bK-.!%66*_+`'~")
  },
  '3.1.1.3_esc01.sip': (b) => {
    const m = req(parse(b))
    const ru = uri(m.requestUri)
    expect(ru.scheme).toBe('sip')
    expect(ru.user).toBe('sips:user@example.com')
    expect(ru.host).toBe('example.net')
    expect(calledNumber(m).raw).toBe('sips%3Auser%40example.com')
    expect(m.to.parsedUri?.user).toBe('user')
    expect(m.from.parsedUri?.user).toBe('I have spaces')
    const c = m.contact[0]!.parsedUri!
    expect(c.user).toBe('caller')
    expect(c.params.lr).toBe(true)
    expect(c.params.name).toBe('value%41')
    expect(m.contentType).toBe('application/sdp')
    expect(m.callId).toBe('esc01.239409asdfakjkn23onasd0-3234')
  },
  '3.1.1.4_escnull.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe('REGISTER')
    expect(m.to.parsedUri?.user).toBe('null-\0-null')
    expect(m.from.parsedUri?.user).toBe('null-\0-null')
    expect(m.contact.map((c) => c.parsedUri?.user)).toEqual(['\0', '\0\0'])
    expect(m.contentLength).toBe(0)
  },
  '3.1.1.5_esc02.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe('RE%47IST%45R')
    expect(m.to.displayName).toBe('%Z%45')
    expect(m.from.displayName).toBe('%Z%45')
    expect(m.contact.map((c) => c.uri)).toEqual([
      'sip:alias1@host1.example.com',
      'sip:alias3@host3.example.com',
    ])
    expect(m.header('C%6Fntact')).toBe('<sip:alias2@host2.example.com>')
    expect(m.via[0]!.branch).toBe('z9hG4bK209%fzsnel234')
  },
  '3.1.1.6_lwsdisp.sip': (b) => {
    const m = req(parse(b))
    expect(m.from.displayName).toBe('caller')
    expect(m.from.uri).toBe('sip:caller@example.com')
    expect(m.from.tag).toBe('323')
  },
  '3.1.1.7_longreq.sip': (b) => {
    expect(b.length).toBe(3515)
    const m = req(parse(b))
    expect(m.via).toHaveLength(34)
    expect(m.headerValues('via')).toHaveLength(34)
    expect(m.to.displayName).toMatch(/^I have a user name of (extreme){10} proportion$/)
    expect(m.to.parsedUri?.port).toBe(6000)
    expect(m.from.tag).toMatch(/^12(982){10,}/)
    expect(m.callId).toMatch(/^longreq\.one(really){20}longcallid$/)
    expect(m.contentLength).toBe(150)
    expect(m.body).toHaveLength(150)
  },
  '3.1.1.8_dblreq.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe('REGISTER')
    expect(m.contentLength).toBe(0)
    expect(m.body).toHaveLength(0)
    expect(m.callId).toBe('dblreq.0ha0isndaksdj99sdfafnl3lk233412')
    expect(text(m.raw)).not.toContain('INVITE')
    expect(m.raw.length).toBeLessThan(b.length)
  },
  '3.1.1.9_semiuri.sip': (b) => {
    const m = req(parse(b))
    const ru = uri(m.requestUri)
    expect(ru.user).toBe('user;par=u@example.net')
    expect(ru.rawUser).toBe('user;par=u%40example.net')
    expect(ru.host).toBe('example.com')
    expect(Object.keys(ru.params)).toEqual([])
    expect(m.headerValues('Accept')).toEqual([
      'application/sdp',
      'application/pkcs7-mime',
      'multipart/mixed',
      'multipart/signed',
      'message/sip',
      'message/sipfrag',
    ])
  },
  '3.1.1.10_transports.sip': (b) => {
    const m = req(parse(b))
    expect(m.via.map((v) => v.transport)).toEqual(['UDP', 'SCTP', 'TLS', 'UNKNOWN', 'TCP'])
    expect(m.callId).toBe('transports.kijh4akdnaqjkwendsasfdj')
  },
  '3.1.1.11_mpart01.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe('MESSAGE')
    expect(m.contentType).toBe('multipart/mixed;boundary=7a9cbec02ceef655')
    expect(m.contentLength).toBe(553)
    expect(m.body).toHaveLength(553)
    expect(m.body.includes(0)).toBe(true)
    expect(text(m.body.subarray(0, 18))).toBe('--7a9cbec02ceef655')
    expect(m.userAgent).toBe('SIPimp.org/0.2.5 (curses)')
  },
  '3.1.1.12_unreason.sip': (b) => {
    const m = res(parse(b))
    expect(m.status).toBe(200)
    expect(m.reason).toBe('= 2**3 * 5**2 но сто девяносто девять - простое')
    expect(m.body).toHaveLength(154)
  },
  '3.1.1.13_noreason.sip': (b) => {
    const m = res(parse(b))
    expect(m.status).toBe(100)
    expect(m.reason).toBe('')
  },
  '3.3.12_cparam01.sip': (b) => {
    const m = req(parse(b))
    expect(m.contact).toHaveLength(1)
    expect(m.contact[0]!.params).toEqual({ unknownparam: true })
    expect(m.contact[0]!.parsedUri?.user).toBe('+19725552222')
    expect(m.contact[0]!.parsedUri?.params).toEqual({})
  },
  '3.3.13_cparam02.sip': (b) => {
    const m = req(parse(b))
    expect(m.contact[0]!.params).toEqual({})
    expect(m.contact[0]!.parsedUri?.user).toBe('+19725552222')
    expect(m.contact[0]!.parsedUri?.params).toEqual({ unknownparam: true })
  },
  '3.3.14_regescrt.sip': (b) => {
    const m = req(parse(b))
    expect(m.contact[0]!.uri).toBe('sip:user@example.com?Route=%3Csip:sip.example.com%3E')
    expect(m.contact[0]!.parsedUri?.headers).toEqual({ Route: '<sip:sip.example.com>' })
    expect(m.contentLength).toBe(0)
  },
  // RFC 5118
  '4.1_ipv6-good.sip': (b) => {
    const m = req(parse(b))
    const ru = uri(m.requestUri)
    expect([ru.user, ru.host, ru.port]).toEqual([undefined, '[2001:db8::10]', undefined])
    expect(m.via[0]!.host).toBe('[2001:db8::9:1]')
    expect(m.contact[0]!.displayName).toBe('Caller')
    expect(m.contact[0]!.parsedUri?.host).toBe('[2001:db8::1]')
  },
  '4.4_port-unambiguous.sip': (b) => {
    const ru = uri(req(parse(b)).requestUri)
    expect([ru.host, ru.port]).toEqual(['[2001:db8::10]', 5070])
  },
  '4.5_via-received-param-with-delim.sip': (b) => {
    const m = req(parse(b))
    expect(m.method).toBe('BYE')
    expect(m.via[0]!.received).toBe('2001:db8::9:255')
    expect(m.via[0]!.params.received).toBe('[2001:db8::9:255]')
    expect(m.to.tag).toBe('bd76ya')
  },
  '4.5_via-received-param-no-delim.sip': (b) => {
    const m = req(parse(b))
    expect(m.via[0]!.received).toBe('2001:db8::9:255')
    expect(m.contact[0]!.parsedUri?.host).toBe('[2001:db8::9:1]')
  },
  '4.7_mult-ip-in-header.sip': (b) => {
    const m = req(parse(b))
    expect(vias(m)).toEqual([
      ['UDP', '[2001:db8::9:1]', 6050, 'z9hG4bKas3-111'],
      ['UDP', '192.0.2.1', undefined, 'z9hG4bKjhja8781hjuaij65144'],
      ['TCP', '[2001:db8::9:255]', undefined, 'z9hG4bK451jj'],
    ])
    expect(m.via[2]!.received).toBe('192.0.2.200')
  },
  '4.8_mult-ip-in-sdp.sip': (b) => {
    const m = req(parse(b))
    expect(m.body).toHaveLength(181)
    const sdp = text(m.body)
    expect(sdp).toContain('c=IN IP4 192.0.2.1')
    expect(sdp).toContain('c=IN IP6 2001:db8::1')
    expect(sdp.endsWith('a=rtpmap:107 H263-1998')).toBe(true)
  },
  '4.9_ipv4-mapped-ipv6.sip': (b) => {
    const m = req(parse(b))
    expect(vias(m)).toEqual([
      ['UDP', '[::ffff:192.0.2.10]', 19823, 'z9hG4bKbh19'],
      ['UDP', '[::ffff:192.0.2.2]', undefined, 'z9hG4bKas3-111'],
    ])
    expect(m.contact[0]!.parsedUri?.host).toBe('[::ffff:192.0.2.2]')
    expect(m.body).toHaveLength(236)
    expect(text(m.body)).toContain('IN IP6 ::ffff:192.0.2.2')
    expect(text(m.body).endsWith('a=rtpmap:107 H263-199')).toBe(true)
  },
  '4.10_ipv6-correct-abnf-2-colons.sip': (b) => {
    const m = req(parse(b))
    expect(uri(m.requestUri).host).toBe('[2001:db8::192.0.2.1]')
    expect(m.to.parsedUri?.host).toBe('[2001:db8::192.0.2.1]')
  },
}

interface Rejection {
  code: string
  /** A leniency the INDEX allows, and what the message looks like when it is on. */
  lenient?: { options: ParseOptions; check: (r: ParseResult) => void }
}

/** invalid: rejected with a specific code (or accepted only under a named leniency the INDEX allows). */
const INVALID: Record<string, Rejection> = {
  '3.1.2.1_badinv01.sip': { code: 'BAD_VIA' },
  '3.1.2.2_clerr.sip': { code: 'BODY_INCOMPLETE' },
  '3.1.2.3_ncl.sip': { code: 'BAD_CONTENT_LENGTH' },
  '3.1.2.4_scalar02.sip': { code: 'BAD_CSEQ' },
  '3.1.2.5_scalarlg.sip': { code: 'BAD_CSEQ' },
  '3.1.2.6_quotbal.sip': { code: 'BAD_NAME_ADDR' },
  '3.1.2.7_ltgtruri.sip': { code: 'BAD_REQUEST_URI' },
  '3.1.2.8_lwsruri.sip': { code: 'BAD_REQUEST_URI' },
  '3.1.2.9_lwsstart.sip': {
    code: 'BAD_START_LINE',
    lenient: {
      options: { lenient: { extraWhitespaceInStartLine: true } },
      check: (r) => {
        const m = req(r)
        expect(m.requestUri).toBe('sip:user@example.com')
        expect(m.version).toBe('SIP/2.0')
        expect(m.leniencies).toEqual(['extraWhitespaceInStartLine'])
      },
    },
  },
  '3.1.2.10_trws.sip': {
    code: 'BAD_START_LINE',
    lenient: {
      options: { lenient: { extraWhitespaceInStartLine: true } },
      check: (r) => {
        const m = req(r)
        expect(m.version).toBe('SIP/2.0')
        expect(m.leniencies).toEqual(['extraWhitespaceInStartLine'])
      },
    },
  },
  '3.1.2.11_escruri.sip': { code: 'BAD_REQUEST_URI' },
  '3.1.2.12_baddate.sip': { code: 'BAD_DATE' },
  '3.1.2.13_regbadct.sip': { code: 'BAD_NAME_ADDR' },
  '3.1.2.14_badaspec.sip': { code: 'BAD_NAME_ADDR' },
  // The archive lacks the final empty line: strictly the header section is incomplete; with that
  // leniency on, the unquoted display names with ',' are still rejected.
  '3.1.2.15_baddn.sip': {
    code: 'HEADERS_INCOMPLETE',
    lenient: {
      options: { lenient: { unterminatedHeaders: true } },
      check: (r) => {
        expect(r.ok).toBe(false)
        if (!r.ok) expect(r.error.code).toBe('BAD_NAME_ADDR')
      },
    },
  },
  '3.1.2.16_badvers.sip': { code: 'VERSION_NOT_SUPPORTED' },
  '3.1.2.17_mismatch01.sip': { code: 'CSEQ_METHOD_MISMATCH' },
  '3.1.2.18_mismatch02.sip': { code: 'CSEQ_METHOD_MISMATCH' },
  '3.1.2.19_bigcode.sip': { code: 'BAD_STATUS_CODE' },
  '3.3.1_insuf.sip': { code: 'MISSING_HEADER' },
  '3.3.8_multi01.sip': { code: 'DUPLICATE_HEADER' },
  '3.3.9_mcl01.sip': { code: 'CONFLICTING_CONTENT_LENGTH' },
  '4.2_ipv6-bad.sip': { code: 'BAD_REQUEST_URI' },
}

/** valid-but-odd: parse without throwing; each entry states what we do. */
const ODD: Record<string, (bytes: Uint8Array) => void> = {
  // We accept the empty transaction id after the magic cookie; rejecting is up to the transaction layer.
  '3.2.1_badbranch.sip': (b) => {
    expect(req(parse(b)).via[0]!.branch).toBe('z9hG4bK')
  },
  // Unknown Request-URI scheme: parsed (a UAS answers 416); there is no called number.
  '3.3.2_unkscm.sip': (b) => {
    const m = req(parse(b))
    expect(m.requestUri).toBe('nobodyKnowsThisScheme:totallyopaquecontent')
    const u = parseUri(m.requestUri)
    expect(u.ok ? 'ok' : u.error.code).toBe('UNSUPPORTED_URI_SCHEME')
    expect(calledNumber(m)).toEqual({ raw: '', normalized: '' })
  },
  '3.3.3_novelsc.sip': (b) => {
    const m = req(parse(b))
    expect(m.requestUri).toBe('soap.beep://192.0.2.103:3002')
    expect(calledNumber(m)).toEqual({ raw: '', normalized: '' })
  },
  // Non-SIP URIs in To/From/Contact are kept opaque (parsedUri undefined).
  '3.3.4_unksm2.sip': (b) => {
    const m = req(parse(b))
    expect(m.to.uri).toBe('isbn:2983792873')
    expect(m.to.parsedUri).toBeUndefined()
    expect(m.from.uri).toBe('http://www.example.com')
    expect(m.from.tag).toBe('3234233')
    expect(m.contact.map((c) => c.uri)).toEqual(['name:John_Smith'])
  },
  // Require / Proxy-Require are parsed as lists; answering 420 is the UAS's job.
  '3.3.5_bext01.sip': (b) => {
    const m = req(parse(b))
    expect(m.headerValues('Require')).toEqual(['nothingSupportsThis', 'nothingSupportsThisEither'])
    expect(m.headerValues('proxy-require')).toEqual(['noProxiesSupportThis', 'norDoAnyProxiesSupportThis'])
  },
  '3.3.6_invut.sip': (b) => {
    const m = req(parse(b))
    expect(m.contentType).toBe('application/unknownformat')
    expect(m.body).toHaveLength(40)
  },
  '3.3.7_regaut01.sip': (b) => {
    const m = req(parse(b))
    expect(m.header('authorization')).toBe('NoOneKnowsThisScheme opaque-data=here')
    expect(m.contentLength).toBe(0)
  },
  // We parse the response; dropping the broadcast Via is the transport layer's job.
  '3.3.10_bcast.sip': (b) => {
    const m = res(parse(b))
    expect(m.via.map((v) => v.host)).toEqual(['192.0.2.198', '255.255.255.255'])
  },
  '3.3.11_zeromf.sip': (b) => {
    expect(req(parse(b)).maxForwards).toBe(0)
  },
  '3.3.15_sdp01.sip': (b) => {
    const m = req(parse(b))
    expect(m.headerValues('accept')).toEqual(['text/nobodyKnowsThis'])
    expect(m.body).toHaveLength(150)
  },
  // Strict: rejected (no Max-Forwards). Accepted with the leniencies missingMaxForwards and
  // missingContentLength, which the message records; the body is the rest of the datagram.
  '3.4.1_inv2543.sip': (b) => {
    const strict = parse(b)
    expect(strict.ok ? 'ok' : strict.error.code).toBe('MISSING_HEADER')
    const noMf = parse(b, { lenient: { missingMaxForwards: true } })
    expect(noMf.ok ? 'ok' : noMf.error.code).toBe('MISSING_CONTENT_LENGTH')
    const m = req(parse(b, { lenient: { missingMaxForwards: true, missingContentLength: true } }))
    expect([...m.leniencies].sort()).toEqual(['missingContentLength', 'missingMaxForwards'])
    expect(m.body).toHaveLength(105)
    expect(m.contentLength).toBeUndefined()
    expect(m.maxForwards).toBeUndefined()
    expect(m.via[0]!.branch).toBeUndefined()
    expect(m.from.tag).toBeUndefined()
    expect(calledNumber(m)).toEqual({ raw: 'UserB', normalized: 'UserB' })
    expect(m.to.parsedUri?.user).toBe('+16505552222')
    // no <>: ';user=phone' is a header parameter of To, not a URI parameter (RFC 3261 §20.10)
    expect(m.to.params.user).toBe('phone')
    expect(m.to.parsedUri?.params).toEqual({})
  },
  // The ':5070' inside the brackets is part of the address; no port.
  '4.3_port-ambiguous.sip': (b) => {
    const ru = uri(req(parse(b)).requestUri)
    expect([ru.host, ru.port]).toEqual(['[2001:db8::10:5070]', undefined])
  },
  // The RFC's Content-Length (268) exceeds the body (251): strict rejects like clerr; the
  // contentLengthExceedsBody leniency accepts what is there.
  '4.6_ipv6-in-sdp.sip': (b) => {
    const strict = parse(b)
    expect(strict.ok ? 'ok' : strict.error.code).toBe('BODY_INCOMPLETE')
    const m = req(parse(b, { lenient: { contentLengthExceedsBody: true } }))
    expect(m.body).toHaveLength(251)
    expect(m.leniencies).toEqual(['contentLengthExceedsBody'])
    expect(m.to.parsedUri?.host).toBe('[2001:db8::10]')
  },
  // The 3-colon form of RFC 3261's ABNF is tolerated and kept as written.
  '4.10_ipv6-bug-abnf-3-colons.sip': (b) => {
    const m = req(parse(b))
    expect(uri(m.requestUri).host).toBe('[2001:db8:::192.0.2.1]')
  },
}

describe.each(TORTURE_ROWS)('$section $name ($expected)', (row) => {
  test(row.file, () => {
    const bytes = readMessage(row)
    if (row.expected === 'valid') {
      const check = VALID[row.file]
      expect(check, 'no assertion for this INDEX row').toBeTypeOf('function')
      check!(bytes)
    } else if (row.expected === 'invalid') {
      const rej = INVALID[row.file]
      expect(rej, 'no expectation for this INDEX row').toBeDefined()
      const r = parse(bytes)
      expect(r.ok ? 'accepted' : r.error.code).toBe(rej!.code)
      if (!r.ok) {
        expect(r.error.offset).toBeGreaterThanOrEqual(0)
        expect(r.error.offset).toBeLessThanOrEqual(bytes.length)
        expect(r.error.message.length).toBeGreaterThan(0)
      }
      // Turning on every leniency must not make other invalid messages acceptable, except where noted.
      if (rej!.lenient) rej!.lenient.check(parse(bytes, rej!.lenient.options))
    } else {
      const check = ODD[row.file]
      expect(check, 'no statement for this INDEX row').toBeTypeOf('function')
      check!(bytes)
    }
  })
})

test('every INDEX row is covered and every table entry is an INDEX row', () => {
  const files = new Set(TORTURE_ROWS.map((r) => r.file))
  expect(TORTURE_ROWS.filter((r) => r.dir === 'sip-torture')).toHaveLength(49)
  for (const key of [...Object.keys(VALID), ...Object.keys(INVALID), ...Object.keys(ODD)]) {
    expect(files.has(key), key).toBe(true)
  }
})

test('every torture message, with every leniency and as a stream, parses without throwing', () => {
  const all: ParseOptions = {
    lenient: {
      bareLf: true,
      missingContentLength: true,
      missingMaxForwards: true,
      extraWhitespaceInStartLine: true,
      contentLengthExceedsBody: true,
      unterminatedHeaders: true,
    },
  }
  for (const row of TORTURE_ROWS) {
    const bytes = readMessage(row)
    for (const opts of [undefined, all, { ...all, transport: 'stream' as const }]) {
      const r = parse(bytes, opts)
      expect(typeof r.ok).toBe('boolean')
      if (r.ok) {
        // touching every accessor must not throw either
        const m = r.message
        void [m.headers, m.userAgent, m.contentType, m.contact.map((c) => c.parsedUri), calledNumber(m)]
      }
    }
  }
})
