import type { Leniency, SipLimits } from './constants.js'
import type { SipParseError } from './errors.js'

/** Options of `parse`. */
export interface ParseOptions {
  /**
   * `'datagram'` (default): a UDP datagram; bytes after the body are ignored (RFC 3261 §18.3).
   * `'stream'`: one message framed by the framer (TCP/TLS).
   */
  transport?: 'datagram' | 'stream'
  /** Named leniencies to accept; all off (strict) by default. */
  lenient?: Partial<Record<Leniency, boolean>>
  /** Overrides of {@link SipLimits}; unspecified ones keep `DEFAULT_LIMITS`. */
  limits?: Partial<SipLimits>
}

/** Generic parameters (`;name=value` or `;name`), names lower-cased, `true` for a valueless one. */
export type SipParams = Readonly<Record<string, string | true>>

/** A header field as it appeared: `name` as sent, `value` unfolded (CRLF + WSP → one SP) and trimmed. */
export interface SipHeader {
  readonly name: string
  readonly value: string
}

/** One Via value (RFC 3261 §20.42). */
export interface Via {
  /** `SIP/2.0` as sent (without LWS). */
  readonly protocol: string
  /** Transport token, upper-cased: `UDP`, `TCP`, `TLS`, `SCTP`, `WS`, or any unknown token. */
  readonly transport: string
  /** sent-by host, IPv6 references keep their brackets. */
  readonly host: string
  readonly port?: number
  readonly branch?: string
  /** `true` when `;rport` has no value (RFC 3581), the number when it has one. */
  readonly rport?: true | number
  /** `received` value, brackets removed from an IPv6 reference (RFC 5118 §4.5). */
  readonly received?: string
  /** Every parameter, including branch, rport and received. */
  readonly params: SipParams
  /** The value as sent (unfolded). */
  readonly raw: string
}

/** A parsed SIP, SIPS or TEL URI (RFC 3261 §19.1, RFC 3966). Components are %-unescaped once. */
export interface SipUri {
  readonly scheme: 'sip' | 'sips' | 'tel'
  /** User part, unescaped; for tel: the subscriber number as written. */
  readonly user?: string
  /** User part exactly as written (still escaped). */
  readonly rawUser?: string
  readonly password?: string
  /** Host; IPv6 references keep their brackets (`[2001:db8::1]`); empty for tel. */
  readonly host: string
  readonly port?: number
  /** uri-parameters (sip/sips) or tel parameters, names lower-cased, unescaped. */
  readonly params: SipParams
  /** headers (`?name=value&...`), unescaped, names as sent. */
  readonly headers: Readonly<Record<string, string>>
  /** The URI text as given. */
  readonly raw: string
}

export type UriResult = { ok: true; uri: SipUri } | { ok: false; error: SipParseError }

/** A name-addr or addr-spec with header parameters (From, To, Contact, ...). */
export interface NameAddr {
  /** Display name: quoted-string unquoted and unescaped, or the tokens as written (single-spaced). */
  readonly displayName?: string
  /** URI as sent (no `<>`), or `*` for a wildcard Contact. */
  readonly uri: string
  /** The URI parsed when it is a sip, sips or tel URI. */
  readonly parsedUri?: SipUri
  readonly tag?: string
  /** Header parameters (after the URI), names lower-cased. */
  readonly params: SipParams
  /** The value as sent (unfolded). */
  readonly raw: string
}

/** CSeq (RFC 3261 §20.16). */
export interface CSeq {
  readonly seq: number
  readonly method: string
}

interface SipMessageBase {
  /** `SIP/2.0` as sent. */
  readonly version: string
  /** Every header field in order (built on first access). */
  readonly headers: readonly SipHeader[]
  /** The first value of a header (any case, compact forms), unfolded; undefined when absent. */
  header(name: string): string | undefined
  /**
   * All values of a header: every field in order, list headers (Via, Contact, Route, Allow, ...)
   * split on commas outside quotes and `<>`; other headers one value per field.
   */
  headerValues(name: string): string[]
  readonly via: readonly Via[]
  readonly from: NameAddr
  readonly to: NameAddr
  readonly callId: string
  readonly cseq: CSeq
  readonly maxForwards?: number
  readonly contact: readonly NameAddr[]
  /** User-Agent value; undefined when absent. */
  readonly userAgent?: string
  readonly contentLength?: number
  readonly contentType?: string
  /** Body bytes (a view into `raw`). */
  readonly body: Uint8Array
  /** Leniencies this message needed. */
  readonly leniencies: readonly Leniency[]
  /** The message bytes (a view of the input, excluding ignored trailing datagram bytes). */
  readonly raw: Uint8Array
}

export interface SipRequest extends SipMessageBase {
  readonly kind: 'request'
  readonly method: string
  /** Request-URI as sent. */
  readonly requestUri: string
  /** The Request-URI parsed (already validated by `parse`) when it is a sip, sips or tel URI. */
  readonly parsedRequestUri?: SipUri
}

export interface SipResponse extends SipMessageBase {
  readonly kind: 'response'
  readonly status: number
  readonly reason: string
}

export type SipMessage = SipRequest | SipResponse

export type ParseResult = { ok: true; message: SipMessage } | { ok: false; error: SipParseError }
