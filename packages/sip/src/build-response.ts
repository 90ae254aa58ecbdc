import { CLASS, GEN_VALUE, isToken } from './char-classes.js'
import { InvalidResponseInitError } from './errors.js'
import { canonicalName } from './header-names.js'
import { REASON_PHRASES } from './reason-phrases.js'
import type { SipRequest, Via } from './types.js'

/** What `buildResponse` needs besides the request. */
export interface ResponseInit {
  /** 100..699. */
  status: number
  /** Default: the RFC 3261 §21 phrase for `status`. */
  reason?: string
  /** Socket source of the request: fills the top Via `received` and `rport` (RFC 3261 §18.2.1, RFC 3581 §4). */
  source: { address: string; port: number }
  /** To tag to add when the request's To has none. Default: {@link stableToTag} of the request. */
  toTag?: string
  /** Extra header fields, in order, after the mandatory ones (a Content-Length here is ignored). */
  headers?: Array<[string, string]>
  /** Body (strings are UTF-8 encoded). Content-Length is always set to its byte length. */
  body?: Uint8Array | string
}

const encoder = new TextEncoder()

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/**
 * A To tag derived from the request (Call-ID, From tag, CSeq number), so retransmissions and a CANCEL of
 * the same request get the same tag (RFC 3261 §8.2.6.2, §9.2). 16 hex digits.
 */
export function stableToTag(request: SipRequest): string {
  const key = `${request.callId}\n${request.from.tag ?? ''}\n${request.cseq.seq}`
  return (
    fnv1a(key, 0x811c9dc5).toString(16).padStart(8, '0') +
    fnv1a(key, 0x5bd1e995).toString(16).padStart(8, '0')
  )
}

function paramValue(v: string): string {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c > 255 || (CLASS[c]! & GEN_VALUE) === 0) return `"${v.replace(/["\\]/g, '\\$&')}"`
  }
  return v
}

/** Top Via with `received` set to the source address and a valueless `rport` filled (RFC 3581 §4). */
function topVia(via: Via, source: { address: string; port: number }): string {
  let out = `${via.protocol}/${via.transport} ${via.host}${via.port === undefined ? '' : `:${via.port}`}`
  const address = source.address.startsWith('[') ? source.address.slice(1, -1) : source.address
  let hasReceived = false
  for (const [name, value] of Object.entries(via.params)) {
    if (name === 'received') {
      out += `;received=${address}`
      hasReceived = true
    } else if (name === 'rport') out += `;rport=${source.port}`
    else out += value === true ? `;${name}` : `;${name}=${paramValue(value)}`
  }
  if (!hasReceived) out += `;received=${address}`
  return out
}

function checkText(what: string, v: string): void {
  if (/[\r\n\0]/.test(v)) throw new InvalidResponseInitError(`${what} contains CR, LF or NUL`)
}

/**
 * Build a UAS response to `request` (RFC 3261 §8.2.6): every Via copied in order (the top one gets
 * `received` and a filled `rport`, RFC 3581), Record-Route copied for 101..299, From, Call-ID and
 * CSeq copied, To copied with a tag added when it has none (stable per request), the caller's
 * headers, then Content-Length and the body.
 * Throws {@link InvalidResponseInitError} only for a bad `init` (programmer error), never for the request.
 *
 * @example
 * ```ts
 * const r = parse(datagram)
 * if (r.ok && r.message.kind === 'request') {
 *   const reply = buildResponse(r.message, {
 *     status: 200,
 *     source: { address: rinfo.address, port: rinfo.port },
 *     headers: [['Allow', 'INVITE, ACK, CANCEL, OPTIONS, BYE']],
 *   })
 *   socket.send(reply, rinfo.port, rinfo.address)
 * }
 * ```
 */
export function buildResponse(request: SipRequest, init: ResponseInit): Uint8Array {
  const { status } = init
  if (!Number.isInteger(status) || status < 100 || status > 699) {
    throw new InvalidResponseInitError(`status ${status} is not in 100..699`)
  }
  const reason = init.reason ?? REASON_PHRASES.get(status) ?? 'Unknown'
  checkText('reason', reason)
  const source = init.source
  if (source === undefined || typeof source.address !== 'string' || !Number.isInteger(source.port)) {
    throw new InvalidResponseInitError('source { address, port } is required')
  }
  checkText('source address', source.address)
  const toTag = init.toTag ?? stableToTag(request)
  if (!isToken(toTag)) throw new InvalidResponseInitError('toTag is not a token')
  let head = `SIP/2.0 ${status} ${reason}\r\n`
  request.via.forEach((via, i) => {
    head += `Via: ${i === 0 ? topVia(via, source) : via.raw}\r\n`
  })
  if (status > 100 && status < 300) {
    for (const rr of request.headerValues('record-route')) head += `Record-Route: ${rr}\r\n`
  }
  head += `From: ${request.from.raw}\r\n`
  head += `To: ${request.to.raw}${request.to.tag === undefined ? `;tag=${toTag}` : ''}\r\n`
  head += `Call-ID: ${request.callId}\r\n`
  head += `CSeq: ${request.cseq.seq} ${request.cseq.method}\r\n`
  for (const [name, value] of init.headers ?? []) {
    if (!isToken(name))
      throw new InvalidResponseInitError(`header name ${JSON.stringify(name)} is not a token`)
    checkText(`header ${name}`, value)
    if (canonicalName(name) === 'content-length') continue
    head += `${name}: ${value}\r\n`
  }
  const body = typeof init.body === 'string' ? encoder.encode(init.body) : (init.body ?? new Uint8Array(0))
  head += `Content-Length: ${body.length}\r\n\r\n`
  const headBytes = encoder.encode(head)
  if (body.length === 0) return headBytes
  const out = new Uint8Array(headBytes.length + body.length)
  out.set(headBytes, 0)
  out.set(body, headBytes.length)
  return out
}
