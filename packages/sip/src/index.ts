/**
 * `@sentrypeer/sip`: SIP parser, TCP/TLS stream framer and UAS response builder for hostile input.
 *
 * @example
 * ```ts
 * import { buildResponse, calledNumber, parse } from '@sentrypeer/sip'
 * const r = parse(datagram)
 * if (r.ok && r.message.kind === 'request') {
 *   console.log(r.message.method, calledNumber(r.message).normalized, r.message.userAgent)
 *   const reply = buildResponse(r.message, { status: 404, source: { address: rinfo.address, port: rinfo.port } })
 * } else if (!r.ok) {
 *   console.log(r.error.code, r.error.offset) // e.g. BAD_VIA 123
 * }
 * ```
 *
 * @packageDocumentation
 */

export type { ResponseInit } from './build-response.js'
export { buildResponse, stableToTag } from './build-response.js'
export type { CalledNumber } from './called-number.js'
export { calledNumber } from './called-number.js'
export type { Leniency, SipLimits } from './constants.js'
export {
  DEFAULT_LIMITS,
  LENIENCIES,
  MAX_BODY_BYTES,
  MAX_CONTACT_VALUES,
  MAX_CSEQ,
  MAX_HEADER_BYTES,
  MAX_HEADERS,
  MAX_MAX_FORWARDS,
  MAX_MESSAGE_BYTES,
  MAX_START_LINE_BYTES,
  MAX_VIA_VALUES,
} from './constants.js'
export type { SipParseError } from './errors.js'
export { InvalidLimitError, InvalidResponseInitError, ParseErrorCode, SipError } from './errors.js'
export type { FramerEvent, FramerInit, FramerLimits, SipFramer } from './framer.js'
export { createFramer } from './framer.js'
export { parse } from './parse.js'
export { parseUri } from './parse-uri.js'
export { SIP_METHODS, type SipMethod } from './sip-methods.js'
export type {
  CSeq,
  NameAddr,
  ParseOptions,
  ParseResult,
  SipHeader,
  SipMessage,
  SipParams,
  SipRequest,
  SipResponse,
  SipUri,
  UriResult,
  Via,
} from './types.js'
