import { createHmac, randomBytes } from 'node:crypto'
import { buildResponse, SIP_METHODS, type SipRequest, stableToTag } from '@sentrypeer/sip'

/** Methods the UAS claims to support (its Allow header). */
export const UAS_ALLOW = 'INVITE, ACK, CANCEL, OPTIONS, BYE, REGISTER'
/** RFC methods the UAS knows but does not allow: answered 405 with Allow (RFC 3261 §21.4.6). */
const KNOWN_NOT_ALLOWED: ReadonlySet<string> = new Set(
  SIP_METHODS.filter((m) => !UAS_ALLOW.split(', ').includes(m)),
)

export interface UasInit {
  /** Server header of every response, e.g. `FPBX-16.0.33(18.20.0)`. */
  agent: string
  /** Digest realm of the REGISTER challenge. */
  realm: string
  /** When set, INVITE is answered 302 with this Contact instead of 404. */
  redirect?: string
  /** Key of the Digest nonces (HMAC-SHA-256 of the transaction); default: 32 random bytes per UAS. */
  nonceKey?: Uint8Array
}

/** Hex digits of a Digest nonce (128 bits, as Asterisk's are 32 hex digits long). */
const NONCE_HEX_DIGITS = 32
/** Bytes of the random nonce key made when `UasInit.nonceKey` is not given. */
const NONCE_KEY_BYTES = 32

export interface UasSource {
  address: string
  port: number
}

/**
 * The responses to one request, in sending order; `final` are those to repeat on a retransmission. The
 * same request from the same source always gets the same bytes (the To tag and the Digest nonce are
 * derived from the transaction), except a CANCEL, whose answer depends on whether its INVITE is known.
 */
export interface UasReply {
  send: Uint8Array[]
  final: Uint8Array[]
}

export interface Uas {
  /**
   * Responses to `request` received from `source`. `invite` is the INVITE a CANCEL refers to (same
   * transaction) when it is known.
   */
  respond(request: SipRequest, source: UasSource, invite?: SipRequest): UasReply
}

/**
 * A 100 Trying carries no To tag (RFC 3261 §8.2.6.1 leaves it optional; real PBXes omit it): the builder
 * always adds one, so it is removed from the To line when the request had none.
 */
function withoutToTag(request: SipRequest, bytes: Uint8Array): Uint8Array {
  if (request.to.tag !== undefined) return bytes
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const added = `${request.to.raw};tag=${stableToTag(request)}\r\n`
  const at = text.indexOf(`\r\nTo: ${added}`)
  if (at === -1) return bytes
  const start = at + 6 + request.to.raw.length
  return Buffer.from(
    text.slice(0, start) + text.slice(start + added.length - request.to.raw.length - 2),
    'latin1',
  )
}

/**
 * The responsive-mode policy: a believable RFC 3261 UAS that never completes anything.
 * OPTIONS → 200 with Allow/Accept/Supported; REGISTER → 401 Digest challenge; INVITE → 100 then 404
 * (or 302 to `redirect`); CANCEL → 200 (+487 for the INVITE); ACK → nothing; BYE → 481; other known
 * methods → 405 + Allow; unknown → 501.
 *
 * @example
 * const uas = createUas({ agent: 'FPBX-16.0.33(18.20.0)', realm: 'asterisk' })
 * const { send } = uas.respond(request, { address: '192.0.2.1', port: 5060 })
 */
export function createUas(init: UasInit): Uas {
  const server: [string, string] = ['Server', init.agent]
  const nonceKey = init.nonceKey ?? randomBytes(NONCE_KEY_BYTES)
  // The same REGISTER transaction (a retransmission) gets the same challenge, so the responses need not
  // be kept to answer it again; another transaction gets another nonce, unpredictable without the key.
  const nonceOf = (request: SipRequest): string =>
    createHmac('sha256', nonceKey)
      .update(
        `${request.via[0]?.branch ?? ''}|${request.callId}|${request.cseq.seq}|${request.from.tag ?? ''}`,
      )
      .digest('hex')
      .slice(0, NONCE_HEX_DIGITS)
  const reply = (
    request: SipRequest,
    source: UasSource,
    status: number,
    reason: string,
    headers: Array<[string, string]> = [],
  ): Uint8Array => buildResponse(request, { status, reason, source, headers: [server, ...headers] })

  return {
    respond(request, source, invite) {
      switch (request.method) {
        case 'OPTIONS': {
          const r = reply(request, source, 200, 'OK', [
            ['Allow', UAS_ALLOW],
            ['Accept', 'application/sdp'],
            ['Supported', 'replaces, timer'],
            ['Accept-Language', 'en'],
          ])
          return { send: [r], final: [r] }
        }
        case 'REGISTER': {
          const nonce = nonceOf(request)
          const r = reply(request, source, 401, 'Unauthorized', [
            ['WWW-Authenticate', `Digest realm="${init.realm}", nonce="${nonce}", algorithm=MD5, qop="auth"`],
          ])
          return { send: [r], final: [r] }
        }
        case 'INVITE': {
          const trying = withoutToTag(request, reply(request, source, 100, 'Trying'))
          const final =
            init.redirect !== undefined
              ? reply(request, source, 302, 'Moved Temporarily', [['Contact', `<${init.redirect}>`]])
              : reply(request, source, 404, 'Not Found')
          return { send: [trying, final], final: [final] }
        }
        case 'CANCEL': {
          if (invite === undefined) {
            const r = reply(request, source, 481, 'Call/Transaction Does Not Exist')
            return { send: [r], final: [r] }
          }
          const ok = reply(request, source, 200, 'OK')
          const terminated = reply(invite, source, 487, 'Request Terminated')
          return { send: [ok, terminated], final: [ok] }
        }
        case 'ACK':
          return { send: [], final: [] }
        case 'BYE': {
          const r = reply(request, source, 481, 'Call/Transaction Does Not Exist')
          return { send: [r], final: [r] }
        }
        default: {
          const r = KNOWN_NOT_ALLOWED.has(request.method)
            ? reply(request, source, 405, 'Method Not Allowed', [['Allow', UAS_ALLOW]])
            : reply(request, source, 501, 'Not Implemented', [['Allow', UAS_ALLOW]])
          return { send: [r], final: [r] }
        }
      }
    },
  }
}
