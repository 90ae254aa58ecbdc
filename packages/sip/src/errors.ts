/**
 * Stable error codes returned in `{ ok: false, error: { code, offset, message } }` results.
 * The values never change once published: callers may switch on them (for example to answer
 * 505 for `VERSION_NOT_SUPPORTED` and 400 for the rest).
 */
export const ParseErrorCode = {
  /** The input is empty (or only CRLFs). */
  EMPTY_MESSAGE: 'EMPTY_MESSAGE',
  /** The input is larger than `limits.maxMessageBytes`. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** The start line is neither a Request-Line nor a Status-Line (RFC 3261 §7.1, §7.2). */
  BAD_START_LINE: 'BAD_START_LINE',
  /** The start line is longer than `limits.maxStartLineBytes`. */
  START_LINE_TOO_LONG: 'START_LINE_TOO_LONG',
  /** The method is not a token (RFC 3261 §25.1). */
  BAD_METHOD: 'BAD_METHOD',
  /** The Request-URI is malformed (in `<>`, contains LWS, bad SIP URI, headers in a SIP Request-URI). */
  BAD_REQUEST_URI: 'BAD_REQUEST_URI',
  /** SIP-Version is well formed but not SIP/2.0: a UAS answers 505 (RFC 3261 §21.5.7). */
  VERSION_NOT_SUPPORTED: 'VERSION_NOT_SUPPORTED',
  /** The status code is not three digits in 100..699 (RFC 3261 §7.2, §21). */
  BAD_STATUS_CODE: 'BAD_STATUS_CODE',
  /** A bare CR, or a bare LF without the `bareLf` leniency (RFC 3261 §7: lines end in CRLF). */
  BAD_LINE_ENDING: 'BAD_LINE_ENDING',
  /** The header section is not terminated by an empty line. */
  HEADERS_INCOMPLETE: 'HEADERS_INCOMPLETE',
  /** The header section is larger than `limits.maxHeaderBytes`. */
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  /** More header fields than `limits.maxHeaders`, or more list values than a per-header limit. */
  TOO_MANY_HEADERS: 'TOO_MANY_HEADERS',
  /** A header line without a token name and a colon, or a continuation line with no header before it. */
  BAD_HEADER: 'BAD_HEADER',
  /** A mandatory header is missing (RFC 3261 §8.1.1). */
  MISSING_HEADER: 'MISSING_HEADER',
  /** A single-value header appears more than once (RFC 3261 §7.3.1, RFC 4475 §3.3.8). */
  DUPLICATE_HEADER: 'DUPLICATE_HEADER',
  /** Content-Length is not a decimal number within limits (RFC 3261 §20.14, RFC 4475 §3.1.2.3). */
  BAD_CONTENT_LENGTH: 'BAD_CONTENT_LENGTH',
  /** Two Content-Length values disagree: framing is undefined (RFC 4475 §3.3.9). */
  CONFLICTING_CONTENT_LENGTH: 'CONFLICTING_CONTENT_LENGTH',
  /** No Content-Length where one is needed to frame the body (RFC 3261 §18.3, §20.14). */
  MISSING_CONTENT_LENGTH: 'MISSING_CONTENT_LENGTH',
  /** Content-Length is larger than the bytes present (RFC 4475 §3.1.2.2). */
  BODY_INCOMPLETE: 'BODY_INCOMPLETE',
  /** The body is larger than `limits.maxBodyBytes`. */
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  /** CSeq is not `1*DIGIT LWS Method` with a number <= 2^32-1 (RFC 3261 §8.1.1.5, §20.16). */
  BAD_CSEQ: 'BAD_CSEQ',
  /** The CSeq method differs from the request method (RFC 4475 §3.1.2.17). */
  CSEQ_METHOD_MISMATCH: 'CSEQ_METHOD_MISMATCH',
  /** Max-Forwards is not a number in 0..255 (RFC 3261 §20.22). */
  BAD_MAX_FORWARDS: 'BAD_MAX_FORWARDS',
  /** A Via value is malformed (RFC 3261 §20.42). */
  BAD_VIA: 'BAD_VIA',
  /** A From, To or Contact value is malformed (RFC 3261 §20.10, §20.20, §20.39, §25.1). */
  BAD_NAME_ADDR: 'BAD_NAME_ADDR',
  /** The Call-ID is empty or contains whitespace or control characters (RFC 3261 §20.8). */
  BAD_CALL_ID: 'BAD_CALL_ID',
  /** The Date header is not an RFC 1123 date in GMT (RFC 3261 §20.17, RFC 4475 §3.1.2.12). */
  BAD_DATE: 'BAD_DATE',
  /** A URI is malformed (returned by `parseUri`). */
  BAD_URI: 'BAD_URI',
  /** The URI scheme is not sip, sips or tel (returned by `parseUri`). */
  UNSUPPORTED_URI_SCHEME: 'UNSUPPORTED_URI_SCHEME',
  /** Stream framing failed (used by the framer): garbage where a message should start. */
  BAD_FRAMING: 'BAD_FRAMING',
  /** A defect in this package was caught (reported as a result, never thrown); please report it. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const

/** One of the stable {@link ParseErrorCode} values. */
export type ParseErrorCode = (typeof ParseErrorCode)[keyof typeof ParseErrorCode]

/** Why untrusted input was rejected: a stable `code`, the byte `offset` of the problem, a human message. */
export interface SipParseError {
  code: ParseErrorCode
  /** Byte offset in the input where the problem was found (0 when not tied to one position). */
  offset: number
  message: string
}

/** Base class of the errors this package throws (only for programmer errors, never for untrusted input). */
export class SipError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'SipError'
    this.code = code
  }
}

/**
 * Thrown by `buildResponse` when the caller's `ResponseInit` is invalid (status outside 100..699,
 * a header name that is not a token, CR/LF in a header value or reason phrase). This is a programmer
 * error: the request itself was already validated by `parse`.
 */
export class InvalidResponseInitError extends SipError {
  constructor(message: string) {
    super('INVALID_RESPONSE_INIT', message)
    this.name = 'InvalidResponseInitError'
  }
}

/** Thrown when a limit passed in options is not a positive safe integer. */
export class InvalidLimitError extends SipError {
  constructor(message: string) {
    super('INVALID_LIMIT', message)
    this.name = 'InvalidLimitError'
  }
}

/** @internal Build an error result. */
export function fail(
  code: ParseErrorCode,
  offset: number,
  message: string,
): { ok: false; error: SipParseError } {
  return { ok: false, error: { code, offset, message } }
}
