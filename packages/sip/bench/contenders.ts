/**
 * One adapter per parser. Each takes the datagram bytes as they come off the socket and returns the
 * same fields, read the way a user of that library reads them. Decoding bytes to a string is part of
 * the work for the string-based parsers (they cannot take bytes).
 */
import { createRequire } from 'node:module'
import { Parser as SipJsParser } from 'sip.js/lib/core/messages/parser.js'
import type { ParseResult } from '../src/types.js'

type ParseFn = (bytes: Uint8Array) => ParseResult

/** The fields every adapter extracts. */
export interface Fields {
  method: string
  ruriUser: string | undefined
  viaHost: string | undefined
  viaBranch: string | undefined
  fromTag: string | undefined
  toUser: string | undefined
  callId: string | undefined
  cseq: number | undefined
  cseqMethod: string | undefined
  userAgent: string | undefined
  contentLength: number | undefined
  /** The body in the library's own form (string or bytes). */
  body: string | Uint8Array | undefined
}

export interface Contender {
  name: string
  /** Returns undefined when the library rejects the message. */
  parse(bytes: Buffer): Fields | undefined
}

const require = createRequire(import.meta.url)

// biome-ignore lint/suspicious/noExplicitAny: untyped CommonJS libraries
type Untyped = any

const sipLib: Untyped = require('sip')
const jssipParser: Untyped = require('jssip/lib/Parser')

const silent = { debug() {}, log() {}, warn() {}, error() {} }

/** npm `sip` 0.0.6: `parse(string)` returns a plain object; the URIs stay strings until `parseUri`. */
export const sipContender: Contender = {
  name: 'sip 0.0.6',
  parse(bytes) {
    const m = sipLib.parse(bytes.toString('latin1'))
    if (!m) return undefined
    const h = m.headers
    const via = h.via?.[0]
    const ruri = m.uri ? sipLib.parseUri(m.uri) : undefined
    const to = h.to ? sipLib.parseUri(h.to.uri) : undefined
    return {
      method: m.method ?? String(m.status),
      ruriUser: ruri?.user,
      viaHost: via?.host,
      viaBranch: via?.params?.branch,
      fromTag: h.from?.params?.tag,
      toUser: to?.user,
      callId: h['call-id'],
      cseq: h.cseq?.seq,
      cseqMethod: h.cseq?.method,
      userAgent: h['user-agent'],
      contentLength: h['content-length'],
      body: m.content,
    }
  },
}

/** sip.js 0.21: `Parser.parseMessage(string, logger)` from its core (the grammar parses URIs, Via, ...). */
export const sipJsContender: Contender = {
  name: 'sip.js 0.21.2',
  parse(bytes) {
    const m: Untyped = SipJsParser.parseMessage(bytes.toString('latin1'), silent as Untyped)
    if (!m) return undefined
    const cl = m.getHeader('content-length')
    return {
      method: m.method ?? String(m.statusCode),
      ruriUser: m.ruri?.user,
      viaHost: m.via?.host,
      viaBranch: m.viaBranch,
      fromTag: m.fromTag,
      toUser: m.to?.uri?.user,
      callId: m.callId,
      cseq: m.cseq,
      cseqMethod: m.parseHeader('cseq')?.method,
      userAgent: m.getHeader('user-agent'),
      contentLength: cl === undefined ? undefined : Number(cl),
      body: m.body,
    }
  },
}

/** JsSIP 3.13: `Parser.parseMessage(string, ua)` (lib/Parser.js, the parser its transports use). */
export const jssipContender: Contender = {
  name: 'jssip 3.13.8',
  parse(bytes) {
    const m = jssipParser.parseMessage(bytes.toString('latin1'), undefined)
    if (!m) return undefined
    const cl = m.getHeader('content-length')
    return {
      method: m.method ?? String(m.status_code),
      ruriUser: m.ruri?.user,
      viaHost: m.via?.host,
      viaBranch: m.via_branch,
      fromTag: m.from_tag,
      toUser: m.to?.uri?.user,
      callId: m.call_id,
      cseq: m.cseq,
      cseqMethod: m.parseHeader('cseq')?.method,
      userAgent: m.getHeader('user-agent'),
      contentLength: cl === undefined ? undefined : Number(cl),
      body: m.body,
    }
  },
}

/** @sentrypeer/sip: bytes in, accessors out (the Request-URI user from `parsedRequestUri`). */
export function sentrypeerContender(parse: ParseFn): Contender {
  return {
    name: '@sentrypeer/sip',
    parse(bytes) {
      const r = parse(bytes)
      if (!r.ok) return undefined
      const m = r.message
      const via = m.via[0]
      const ruriUser = m.kind === 'request' ? m.parsedRequestUri?.user : undefined
      return {
        method: m.kind === 'request' ? m.method : String(m.status),
        ruriUser,
        viaHost: via?.host,
        viaBranch: via?.branch,
        fromTag: m.from.tag,
        toUser: m.to.parsedUri?.user,
        callId: m.callId,
        cseq: m.cseq.seq,
        cseqMethod: m.cseq.method,
        userAgent: m.userAgent,
        contentLength: m.contentLength,
        body: m.body,
      }
    },
  }
}

/**
 * Loads our parser from the built package (`dist/`, or the module named by the SIP_DIST environment
 * variable), or returns undefined when it is not there yet.
 */
export async function loadSentrypeer(): Promise<Contender | undefined> {
  try {
    const mod = (await import(process.env.SIP_DIST ?? ('../dist/index.js' as string))) as {
      parse?: ParseFn
    }
    if (typeof mod.parse !== 'function') return undefined
    return sentrypeerContender(mod.parse)
  } catch {
    return undefined
  }
}

/** The fields in a comparable form (bodies as latin1 text). */
export function comparable(fields: Fields | undefined): Record<string, unknown> | undefined {
  if (!fields) return undefined
  const body = fields.body
  return {
    ...fields,
    body:
      body === undefined ? undefined : typeof body === 'string' ? body : Buffer.from(body).toString('latin1'),
  }
}
