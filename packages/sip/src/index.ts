/**
 * `@sentrypeer/sip`: SIP parser, TCP/TLS stream framer and UAS response builder for hostile input.
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
