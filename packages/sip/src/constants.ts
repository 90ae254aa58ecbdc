/**
 * Limits and fixed tables. Every limit has a default (with the spec it comes from) and can be
 * overridden per call through `ParseOptions.limits` / `FramerInit.limits`.
 */

/** Largest message accepted: the largest UDP payload over IPv4 (RFC 768, RFC 3261 §18.1.1). */
export const MAX_MESSAGE_BYTES = 65_535
/** Largest header section (start line + headers + empty line). RFC 3261 sets none; 64 KiB datagram bound. */
export const MAX_HEADER_BYTES = 32_768
/** Most header fields (lines, not comma-separated values) in one message. */
export const MAX_HEADERS = 256
/** Largest body: bounded by the datagram size (RFC 3261 §18.1.1). */
export const MAX_BODY_BYTES = 65_535
/** Longest start line (RFC 3261 §7.1 sets none; RFC 3261 §21.4.12 414 Request-URI Too Long exists). */
export const MAX_START_LINE_BYTES = 8_192
/** Most Via values in one message (RFC 3261 §16.6: Max-Forwards 70 bounds honest paths). */
export const MAX_VIA_VALUES = 128
/** Most Contact values in one message (RFC 3261 §10.2.1 registrations can carry several). */
export const MAX_CONTACT_VALUES = 64
/** Largest CSeq sequence number: 2^32 - 1 (RFC 3261 §8.1.1.5). */
export const MAX_CSEQ = 0xffff_ffff
/** Largest Max-Forwards value: 255 (RFC 3261 §20.22, `1*DIGIT` with 0-255 in practice; RFC 4475 §3.1.2.4). */
export const MAX_MAX_FORWARDS = 255

/** Limits applied by `parse` and the framer. */
export interface SipLimits {
  /** Whole message (start line + headers + body), in bytes. */
  maxMessageBytes: number
  /** Start line + headers + terminating empty line, in bytes. */
  maxHeaderBytes: number
  /** Header field lines. */
  maxHeaders: number
  /** Body bytes (Content-Length). */
  maxBodyBytes: number
  /** Start line bytes. */
  maxStartLineBytes: number
  /** Via values over all Via header fields. */
  maxViaValues: number
  /** Contact values over all Contact header fields. */
  maxContactValues: number
}

/** The default {@link SipLimits}. */
export const DEFAULT_LIMITS: Readonly<SipLimits> = Object.freeze({
  maxMessageBytes: MAX_MESSAGE_BYTES,
  maxHeaderBytes: MAX_HEADER_BYTES,
  maxHeaders: MAX_HEADERS,
  maxBodyBytes: MAX_BODY_BYTES,
  maxStartLineBytes: MAX_START_LINE_BYTES,
  maxViaValues: MAX_VIA_VALUES,
  maxContactValues: MAX_CONTACT_VALUES,
})

/**
 * Named leniencies. `parse` is strict by default; each leniency turned on in `ParseOptions.lenient`
 * accepts one known deviation and, when a message needed it, lists it in `message.leniencies`
 * (useful to fingerprint the tool that sent it).
 */
export const LENIENCIES = [
  /** Lines ending in LF alone instead of CRLF (RFC 3261 §7). */
  'bareLf',
  /**
   * No Content-Length but bytes after the header section: on a datagram the body is the rest of the
   * datagram (RFC 3261 §18.3, RFC 2543 senders, RFC 4475 §3.4.1); on a stream the rest of the framed bytes.
   */
  'missingContentLength',
  /** A request without Max-Forwards (RFC 2543 clients omit it; RFC 3261 §8.1.1 requires it). */
  'missingMaxForwards',
  /** Extra SP between or after start-line elements (RFC 4475 §3.1.2.9, §3.1.2.10). */
  'extraWhitespaceInStartLine',
  /** Content-Length larger than the datagram: the body is what is present (RFC 5118 §4.6 erratum). */
  'contentLengthExceedsBody',
  /** The header section ends at the end of the input without the empty line (RFC 4475 §3.1.2.15 archive). */
  'unterminatedHeaders',
] as const

/** One of the named {@link LENIENCIES}. */
export type Leniency = (typeof LENIENCIES)[number]
