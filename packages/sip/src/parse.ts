import { splitListB } from './byte-scan.js'
import { CLASS, isToken, TOKEN } from './char-classes.js'
import { DEFAULT_LIMITS, type Leniency, MAX_CSEQ, MAX_MAX_FORWARDS, type SipLimits } from './constants.js'
import { decode, latin1 } from './decode.js'
import { ParseErrorCode as E, fail, type SipParseError } from './errors.js'
import {
  H_CALL_ID,
  H_CONTACT,
  H_CONTENT_LENGTH,
  H_CONTENT_TYPE,
  H_CSEQ,
  H_DATE,
  H_FROM,
  H_MAX_FORWARDS,
  H_TO,
  H_USER_AGENT,
  H_VIA,
  ID_KEYS,
  identify,
} from './header-names.js'
import { newParams } from './params-object.js'
import { nameAddrError, parseNameAddr, parseNameAddrBytes } from './parse-name-addr.js'
import { NO_URI_HEADERS, uriFromBytes } from './parse-uri.js'
import { parseVia, parseViaBytes, viaError } from './parse-via.js'
import { FOLDED, HIGH, SipMessageImpl, valueTextAt } from './sip-message.js'
import { SIP_METHODS } from './sip-methods.js'
import { splitList } from './split-list.js'
import type { NameAddr, ParseOptions, ParseResult, SipMessage, SipUri, Via } from './types.js'

const CR = 13
const LF = 10
const SP = 32
const HT = 9
const COLON = 58

type Fail = { ok: false; error: SipParseError }

const DATE_RE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/

/** `1*DIGIT` (leading zeros allowed) in bytes[start, end); -1 when empty, not digits or above `max`. */
function digitsAt(bytes: Uint8Array, start: number, end: number, max: number): number {
  if (end <= start) return -1
  let v = 0
  for (let i = start; i < end; i++) {
    const c = bytes[i]! - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
    if (v > max) return -1
  }
  return v
}

function resolveLimits(partial: Partial<SipLimits> | undefined): SipLimits {
  if (partial === undefined) return DEFAULT_LIMITS
  const out = { ...DEFAULT_LIMITS }
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof SipLimits)[]) {
    const v = partial[key]
    if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) out[key] = v
  }
  return out
}

// Line scanning state (parse is synchronous and not re-entrant, so module state is safe and allocation-free).
/** Index just after the line end found by the last `lineEnd` call. */
let nextLine = 0
/** Whether the last line ended with a bare LF. */
let bareLfSeen = false
/** Whether a byte >= 0x80 was seen since the caller last reset it. */
let highSeen = false
/**
 * The header table, five numbers per header (see HeaderTable), reused per parse (grown as needed) and
 * copied to an exact-size array for the message. Performance: one table (not offsets + ids) is one
 * copy per message instead of two (bench/parse.ts).
 */
const scratchOffsets: number[] = new Array(1280).fill(0)

/** Writes header `index` into the table: name start and end, value start and end, id | flags. */
function putHeader(
  index: number,
  nameStart: number,
  nameEnd: number,
  valueStart: number,
  valueEnd: number,
  idFlags: number,
): void {
  const o = index * 5
  scratchOffsets[o] = nameStart
  scratchOffsets[o + 1] = nameEnd
  scratchOffsets[o + 2] = valueStart
  scratchOffsets[o + 3] = valueEnd
  scratchOffsets[o + 4] = idFlags
}

/**
 * Scan from `i` to the end of the line: returns the index of its CR/LF (or `len`), sets `nextLine` and
 * `bareLfSeen`; returns -1 - offset for a bare CR.
 */
function lineEnd(bytes: Uint8Array, i: number, len: number): number {
  // Performance: 4 bytes per step while all are in 14..127 (`x - 14` is negative iff x < 14, bit 7 of
  // `a | b | c | d` shifted to the sign is set iff one is >= 0x80), one branch per 4 bytes; a byte
  // outside (CR, LF, HT, >= 0x80) is then looked at alone.
  // Line scanning is the largest single cost of a parse (bench/parse.ts, CPU profile).
  const last4 = len - 4
  for (;;) {
    while (i <= last4) {
      const a = bytes[i]!
      const b = bytes[i + 1]!
      const c = bytes[i + 2]!
      const d = bytes[i + 3]!
      if (((a - 14) | (b - 14) | (c - 14) | (d - 14) | ((a | b | c | d) << 24)) < 0) break
      i += 4
    }
    if (i >= len) break
    const c = bytes[i]!
    if (c === CR || c === LF) break
    if (c >= 0x80) highSeen = true
    i++
  }
  bareLfSeen = false
  if (i >= len) {
    nextLine = len
    return len
  }
  if (bytes[i] === CR) {
    if (bytes[i + 1] !== LF) return -1 - i
    nextLine = i + 2
  } else {
    bareLfSeen = true
    nextLine = i + 1
  }
  return i
}

/** Results of the last `scanHeaders` call. */
let hdrCount = 0
/** Index of the body (after the empty line), or -1 when the header section is not terminated. */
let hdrBodyStart = -1
/** Where the scan stopped (for an unterminated header section). */
let hdrEnd = 0
/** Whether a header line ended in a bare LF (allowed by the caller). */
let hdrBareLf = false

/**
 * Scan the header section from `p`: fills `scratchOffsets` and the `hdr*` results.
 * Returns a failure for a malformed or oversized header section.
 */
function scanHeaders(
  bytes: Uint8Array,
  p: number,
  len: number,
  maxHeaderEnd: number,
  maxHeaders: number,
  allowBareLf: boolean,
): Fail | undefined {
  let count = 0
  hdrCount = 0
  hdrBodyStart = -1
  hdrBareLf = false
  const last4 = len - 4
  while (p < len) {
    if (p > maxHeaderEnd) return fail(E.HEADERS_TOO_LARGE, p, 'header section too large')
    const b0 = bytes[p]!
    if (b0 === CR || b0 === LF) {
      const e = lineEnd(bytes, p, len)
      if (e < 0) return fail(E.BAD_LINE_ENDING, -1 - e, 'bare CR')
      if (e !== p) return fail(E.BAD_HEADER, p, 'header name is not a token')
      if (bareLfSeen) {
        if (!allowBareLf) return fail(E.BAD_LINE_ENDING, e, 'line ends in LF, not CRLF')
        hdrBareLf = true
      }
      hdrBodyStart = nextLine
      break
    }
    if (b0 === SP || b0 === HT) return fail(E.BAD_HEADER, p, 'continuation line without a header')
    let n = p
    highSeen = false
    while (n < len && (CLASS[bytes[n]!]! & TOKEN) !== 0) n++
    const nameEnd = n
    if (nameEnd === p) return fail(E.BAD_HEADER, p, 'header name is not a token')
    while (n < len && (bytes[n] === SP || bytes[n] === HT)) n++
    if (bytes[n] !== COLON) return fail(E.BAD_HEADER, n, 'header name not followed by ":"')
    n++
    // Fast path (almost every header line): printable ASCII up to CRLF, no continuation line. Scanned
    // here with locals (no module state written per line); anything else is scanned again by lineEnd.
    let q = n
    while (q <= last4) {
      const a = bytes[q]!
      const b = bytes[q + 1]!
      const c = bytes[q + 2]!
      const d = bytes[q + 3]!
      if (((a - 14) | (b - 14) | (c - 14) | (d - 14) | ((a | b | c | d) << 24)) < 0) break
      q += 4
    }
    while (q < len) {
      const c = bytes[q]!
      if (c < 14 || c >= 0x80) break
      q++
    }
    if (q + 2 < len && bytes[q] === CR && bytes[q + 1] === LF) {
      const f = bytes[q + 2]!
      if (f !== SP && f !== HT) {
        while (n < q && (bytes[n] === SP || bytes[n] === HT)) n++
        let ve = q
        while (ve > n && (bytes[ve - 1] === SP || bytes[ve - 1] === HT)) ve--
        if (count >= maxHeaders) return fail(E.TOO_MANY_HEADERS, p, 'too many header fields')
        putHeader(count, p, nameEnd, n, ve, identify(bytes, p, nameEnd))
        count++
        p = q + 2
        continue
      }
    }
    let e = lineEnd(bytes, n, len)
    let isFolded = false
    for (;;) {
      if (e < 0) return fail(E.BAD_LINE_ENDING, -1 - e, 'bare CR')
      if (bareLfSeen) {
        if (!allowBareLf) return fail(E.BAD_LINE_ENDING, e, 'line ends in LF, not CRLF')
        hdrBareLf = true
      }
      const next = nextLine
      if (next >= len || (bytes[next] !== SP && bytes[next] !== HT)) break
      isFolded = true // continuation line (RFC 3261 §7.3.1)
      e = lineEnd(bytes, next, len)
    }
    // trim the value
    while (n < e && (bytes[n] === SP || bytes[n] === HT || bytes[n] === CR || bytes[n] === LF)) n++
    let ve = e
    while (ve > n && (bytes[ve - 1] === SP || bytes[ve - 1] === HT)) ve--
    if (count >= maxHeaders) return fail(E.TOO_MANY_HEADERS, p, 'too many header fields')
    putHeader(
      count,
      p,
      nameEnd,
      n,
      ve,
      identify(bytes, p, nameEnd) | (isFolded ? FOLDED : 0) | (highSeen ? HIGH : 0),
    )
    count++
    p = nextLine
  }
  hdrCount = count
  hdrEnd = p
  return undefined
}

/**
 * Parse one SIP message (a UDP datagram, or one message framed by the stream framer).
 * Never throws: any input yields `{ ok: true, message }` or `{ ok: false, error }` with a stable
 * `code` (see `ParseErrorCode`) and the byte `offset` of the problem.
 *
 * Strict by default (RFC 3261 §7, §8.1.1, §18.3, §20, §25); `options.lenient` turns on named
 * leniencies, and `message.leniencies` lists the ones a message needed. Header values are decoded
 * lazily; the headers a parser must check (Via, From, To, Call-ID, CSeq, Max-Forwards, Contact,
 * Content-Length, Date) are validated here so that a message that must be rejected is.
 *
 * @example
 * ```ts
 * import { parse, calledNumber } from '@sentrypeer/sip'
 * const r = parse(datagram, { lenient: { bareLf: true } })
 * if (r.ok && r.message.kind === 'request') {
 *   console.log(r.message.method, calledNumber(r.message).normalized, r.message.userAgent)
 * } else if (!r.ok) {
 *   console.log(r.error.code, r.error.offset)
 * }
 * ```
 */
export function parse(bytes: Uint8Array, options?: ParseOptions): ParseResult {
  try {
    if (!(bytes instanceof Uint8Array)) return fail(E.EMPTY_MESSAGE, 0, 'input is not a Uint8Array')
    return parseMessage(bytes, options)
  } catch (e) {
    return fail(E.INTERNAL_ERROR, 0, `internal parser error: ${e instanceof Error ? e.message : String(e)}`)
  }
}

function parseMessage(bytes: Uint8Array, options: ParseOptions | undefined): ParseResult {
  const limits = resolveLimits(options?.limits)
  const lenient = options?.lenient
  const stream = options?.transport === 'stream'
  let used: Leniency[] | undefined
  const len = bytes.length
  if (len > limits.maxMessageBytes) {
    return fail(
      E.MESSAGE_TOO_LARGE,
      limits.maxMessageBytes,
      `message larger than ${limits.maxMessageBytes} bytes`,
    )
  }
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  let start = 0
  while (start < len && (bytes[start] === CR || bytes[start] === LF)) start++
  if (start >= len) return fail(E.EMPTY_MESSAGE, 0, 'empty message')

  // ---- start line ----------------------------------------------------------------------------------
  highSeen = false
  const slEnd = lineEnd(bytes, start, len)
  if (slEnd < 0) return fail(E.BAD_LINE_ENDING, -1 - slEnd, 'bare CR')
  const allowBareLf = lenient?.bareLf === true
  if (bareLfSeen) {
    if (!allowBareLf) return fail(E.BAD_LINE_ENDING, slEnd, 'line ends in LF, not CRLF')
    used = addLeniency(used, 'bareLf')
  }
  if (slEnd - start > limits.maxStartLineBytes) {
    return fail(E.START_LINE_TOO_LONG, start + limits.maxStartLineBytes, 'start line too long')
  }
  const slHigh = highSeen
  const allowWs = lenient?.extraWhitespaceInStartLine === true

  // ---- header section ------------------------------------------------------------------------------
  // Performance: the header section is scanned before the start line is parsed, so that one native
  // call decodes the start line and the headers together (one latin1Slice instead of two: ~3% of a
  // short OPTIONS, bench/parse.ts). A failure of the scan is reported only after the start line is
  // checked, so the first error in the message is still the one reported.
  const maxHeaderEnd = start + limits.maxHeaderBytes
  const scanFail = scanHeaders(bytes, nextLine, len, maxHeaderEnd, limits.maxHeaders, allowBareLf)
  const count = hdrCount
  let bodyStart = hdrBodyStart
  if (scanFail !== undefined || (bodyStart === -1 && hdrEnd > maxHeaderEnd)) {
    // The start line's failure if it has one, else the header section's.
    const f = parseStartLine(bytes, start, slEnd, allowWs, slHigh, latin1(bytes, start, slEnd), start)
    return f ?? scanFail ?? fail(E.HEADERS_TOO_LARGE, hdrEnd, 'header section too large')
  }
  // One native call decodes the start line and the header section one char per byte; ASCII, unfolded
  // values (almost all) are then parsed from the bytes and their pieces sliced from this text.
  const headStart = start
  const head = latin1(bytes, start, bodyStart === -1 ? len : bodyStart)
  const slFail = parseStartLine(bytes, start, slEnd, allowWs, slHigh, head, start)
  if (slFail !== undefined) return slFail
  if (sl.lenient) used = addLeniency(used, 'extraWhitespaceInStartLine')
  if (hdrBareLf) used = addLeniency(used, 'bareLf')
  const isRequest = sl.kind === 'request'
  if (bodyStart === -1) {
    if (stream || lenient?.unterminatedHeaders !== true) {
      return fail(E.HEADERS_INCOMPLETE, len, 'header section not terminated by an empty line')
    }
    used = addLeniency(used, 'unterminatedHeaders')
    bodyStart = len
  }
  if (bodyStart > maxHeaderEnd) return fail(E.HEADERS_TOO_LARGE, maxHeaderEnd, 'header section too large')

  const offsets = scratchOffsets.slice(0, count * 5)

  // ---- well-known headers --------------------------------------------------------------------------
  let iFrom = -1
  let iTo = -1
  let iCallId = -1
  let iCseq = -1
  let iMaxFwd = -1
  let iCl = -1
  let iDate = -1
  let iVia = -1
  let nVia = 0
  let contentLength = -1
  let iCt = -1
  let hasContact = false
  let iUa = -1
  for (let i = 0; i < count; i++) {
    let first = true
    switch (offsets[i * 5 + 4]! & 0xff) {
      case H_VIA:
        if (iVia === -1) iVia = i
        nVia++
        continue
      case H_CONTACT:
        hasContact = true
        continue
      case H_USER_AGENT:
        if (iUa === -1) iUa = i
        continue
      case H_FROM:
        first = iFrom === -1
        if (first) iFrom = i
        break
      case H_TO:
        first = iTo === -1
        if (first) iTo = i
        break
      case H_CALL_ID:
        first = iCallId === -1
        if (first) iCallId = i
        break
      case H_CSEQ:
        first = iCseq === -1
        if (first) iCseq = i
        break
      case H_MAX_FORWARDS:
        first = iMaxFwd === -1
        if (first) iMaxFwd = i
        break
      case H_DATE:
        first = iDate === -1
        if (first) iDate = i
        break
      case H_CONTENT_LENGTH: {
        const vs = offsets[i * 5 + 2]!
        const v =
          (offsets[i * 5 + 4]! & FOLDED) !== 0
            ? parseDecimal(valueTextAt(bytes, offsets, head, headStart, i).trim())
            : digitsAt(bytes, vs, offsets[i * 5 + 3]!, Number.MAX_SAFE_INTEGER)
        if (v < 0) return fail(E.BAD_CONTENT_LENGTH, vs, 'Content-Length is not a decimal number')
        if (contentLength !== -1 && v !== contentLength) {
          return fail(E.CONFLICTING_CONTENT_LENGTH, vs, 'conflicting Content-Length values')
        }
        contentLength = v
        first = iCl === -1
        if (first) iCl = i
        break
      }
      case H_CONTENT_TYPE:
        first = iCt === -1
        if (first) iCt = i
        break
      default:
        continue
    }
    if (!first) {
      return fail(
        E.DUPLICATE_HEADER,
        offsets[i * 5]!,
        `${ID_KEYS[offsets[i * 5 + 4]! & 0xff]} appears more than once`,
      )
    }
  }
  if (iVia === -1) return missing(bodyStart, 'Via')
  if (iFrom === -1) return missing(bodyStart, 'From')
  if (iTo === -1) return missing(bodyStart, 'To')
  if (iCallId === -1) return missing(bodyStart, 'Call-ID')
  if (iCseq === -1) return missing(bodyStart, 'CSeq')
  if (isRequest && iMaxFwd === -1) {
    if (lenient?.missingMaxForwards !== true) return missing(bodyStart, 'Max-Forwards')
    used = addLeniency(used, 'missingMaxForwards')
  }

  // Via
  // Performance: one plain Via header (most messages) makes a one-element array literal (no growable
  // backing store, bench/parse.ts); maxViaValues >= 1, so one value is always within the limit.
  const only =
    nVia === 1 && (offsets[iVia * 5 + 4]! & (FOLDED | HIGH)) === 0
      ? parseViaBytes(bytes, offsets[iVia * 5 + 2]!, offsets[iVia * 5 + 3]!, head, headStart)
      : undefined
  const via: Via[] = only !== undefined ? [only] : []
  if (only !== undefined) nVia = 0
  for (let i = iVia; nVia > 0; i++) {
    if ((offsets[i * 5 + 4]! & 0xff) !== H_VIA) continue
    nVia--
    const vs = offsets[i * 5 + 2]!
    const ve = offsets[i * 5 + 3]!
    if ((offsets[i * 5 + 4]! & (FOLDED | HIGH)) === 0) {
      // Performance: parse the value as one via-parm first, and split on commas only when that fails.
      // A comma the via-parm grammar accepts is inside a quoted string, where splitting ignores it too,
      // so the result is the same; this saves a scan for commas and an array per Via (bench/parse.ts).
      if (via.length < limits.maxViaValues) {
        const v = parseViaBytes(bytes, vs, ve, head, headStart)
        if (v !== undefined) {
          via.push(v)
          continue
        }
      }
      const parts = splitListB(bytes, vs, ve)
      if (via.length + parts.length / 2 > limits.maxViaValues) {
        return fail(E.TOO_MANY_HEADERS, vs, 'too many Via values')
      }
      for (let k = 0; k < parts.length; k += 2) {
        const v = parseViaBytes(bytes, parts[k]!, parts[k + 1]!, head, headStart)
        if (v === undefined) return fail(E.BAD_VIA, vs, `bad Via: ${viaError.message}`)
        via.push(v)
      }
    } else {
      const parts = splitList(valueTextAt(bytes, offsets, head, headStart, i))
      if (via.length + parts.length > limits.maxViaValues) {
        return fail(E.TOO_MANY_HEADERS, vs, 'too many Via values')
      }
      for (const part of parts) {
        const v = parseVia(part)
        if (v === undefined) return fail(E.BAD_VIA, vs, `bad Via: ${viaError.message}`)
        via.push(v)
      }
    }
  }
  // From / To (single values: a comma outside quotes and <> is an error)
  const from = nameAddrAt(bytes, offsets, head, headStart, iFrom)
  if (from === undefined) {
    return fail(E.BAD_NAME_ADDR, offsets[iFrom * 5 + 2]!, `bad From: ${nameAddrError.message}`)
  }
  const to = nameAddrAt(bytes, offsets, head, headStart, iTo)
  if (to === undefined)
    return fail(E.BAD_NAME_ADDR, offsets[iTo * 5 + 2]!, `bad To: ${nameAddrError.message}`)
  // Contact: every value is checked here; the NameAddr objects are built on first access of
  // `message.contact` (see contactsOf).
  if (hasContact) {
    const r = contactsOf(bytes, offsets, count, head, headStart, limits.maxContactValues, false)
    if (!Array.isArray(r)) return r as Fail
  }
  // Call-ID: word [ "@" word ], no whitespace or controls (RFC 3261 §25.1)
  const cidStart = offsets[iCallId * 5 + 2]!
  const cidEnd = offsets[iCallId * 5 + 3]!
  if (cidEnd === cidStart) return fail(E.BAD_CALL_ID, cidStart, 'empty Call-ID')
  for (let i = cidStart; i < cidEnd; i++) {
    const c = bytes[i]!
    if (c <= 32 || c >= 127) return fail(E.BAD_CALL_ID, i, 'bad character in Call-ID')
  }
  const callId = head.slice(cidStart - headStart, cidEnd - headStart)
  // CSeq: 1*DIGIT LWS Method. Performance: read from the bytes (no value string, no method string for a
  // request: the method is compared with the Request-Line's bytes); folded or non-ASCII values use text.
  const cseqAt = offsets[iCseq * 5 + 2]!
  let seq = 0
  let cseqMethod: string
  if ((offsets[iCseq * 5 + 4]! & (FOLDED | HIGH)) === 0) {
    const ve = offsets[iCseq * 5 + 3]!
    let k = cseqAt
    while (k < ve) {
      const c = bytes[k]! - 48
      if (c < 0 || c > 9) break
      seq = seq * 10 + c
      if (seq > MAX_CSEQ) return fail(E.BAD_CSEQ, cseqAt, 'CSeq number above 2^32-1')
      k++
    }
    if (k === cseqAt) return fail(E.BAD_CSEQ, cseqAt, 'CSeq without a number')
    if (k >= ve || (bytes[k] !== SP && bytes[k] !== HT)) {
      return fail(E.BAD_CSEQ, k, 'CSeq number not followed by LWS')
    }
    let ms = k + 1
    while (ms < ve && (bytes[ms] === SP || bytes[ms] === HT)) ms++
    if (ms === ve) return fail(E.BAD_CSEQ, cseqAt, 'CSeq method is not a token')
    for (let j = ms; j < ve; j++) {
      if ((CLASS[bytes[j]!]! & TOKEN) === 0) return fail(E.BAD_CSEQ, cseqAt, 'CSeq method is not a token')
    }
    if (isRequest) {
      const method = sl.method
      let same = ve - ms === method.length
      for (let j = 0; same && j < method.length; j++) same = bytes[ms + j] === bytes[start + j]
      if (!same) return fail(E.CSEQ_METHOD_MISMATCH, cseqAt, 'CSeq method differs from the request method')
      cseqMethod = method
    } else cseqMethod = head.slice(ms - headStart, ve - headStart)
  } else {
    const cseqText = valueTextAt(bytes, offsets, head, headStart, iCseq)
    let sp = 0
    while (sp < cseqText.length) {
      const c = cseqText.charCodeAt(sp) - 48
      if (c < 0 || c > 9) break
      seq = seq * 10 + c
      if (seq > MAX_CSEQ) return fail(E.BAD_CSEQ, cseqAt, 'CSeq number above 2^32-1')
      sp++
    }
    if (sp === 0) return fail(E.BAD_CSEQ, cseqAt, 'CSeq without a number')
    const afterNum = cseqText.charCodeAt(sp)
    if (afterNum !== SP && afterNum !== HT) {
      return fail(E.BAD_CSEQ, cseqAt + sp, 'CSeq number not followed by LWS')
    }
    let ms = sp + 1
    while (cseqText.charCodeAt(ms) === SP || cseqText.charCodeAt(ms) === HT) ms++
    cseqMethod = cseqText.slice(ms)
    if (!isToken(cseqMethod)) return fail(E.BAD_CSEQ, cseqAt, 'CSeq method is not a token')
    if (isRequest) {
      const method = sl.method
      if (cseqMethod !== method) {
        return fail(E.CSEQ_METHOD_MISMATCH, cseqAt, 'CSeq method differs from the request method')
      }
      cseqMethod = method
    }
  }
  // Max-Forwards
  let maxForwards: number | undefined
  if (iMaxFwd !== -1) {
    const vs = offsets[iMaxFwd * 5 + 2]!
    const v =
      (offsets[iMaxFwd * 5 + 4]! & FOLDED) !== 0
        ? parseDecimal(valueTextAt(bytes, offsets, head, headStart, iMaxFwd), MAX_MAX_FORWARDS)
        : digitsAt(bytes, vs, offsets[iMaxFwd * 5 + 3]!, MAX_MAX_FORWARDS)
    if (v < 0) return fail(E.BAD_MAX_FORWARDS, vs, 'Max-Forwards is not a number in 0..255')
    maxForwards = v
  }
  // Date
  if (iDate !== -1 && !DATE_RE.test(valueTextAt(bytes, offsets, head, headStart, iDate))) {
    return fail(E.BAD_DATE, offsets[iDate * 5 + 2]!, 'Date is not an RFC 1123 date in GMT')
  }

  // ---- body ----------------------------------------------------------------------------------------
  const available = len - bodyStart
  let bodyEnd: number
  if (contentLength !== -1) {
    if (contentLength > limits.maxBodyBytes) {
      return fail(E.BODY_TOO_LARGE, offsets[iCl * 5 + 2]!, `Content-Length above ${limits.maxBodyBytes}`)
    }
    if (contentLength > available) {
      if (stream || lenient?.contentLengthExceedsBody !== true) {
        return fail(E.BODY_INCOMPLETE, len, `Content-Length ${contentLength} but ${available} body bytes`)
      }
      used = addLeniency(used, 'contentLengthExceedsBody')
      bodyEnd = len
    } else bodyEnd = bodyStart + contentLength // RFC 3261 §18.3: extra datagram bytes are ignored
  } else if (available === 0) {
    bodyEnd = len
  } else {
    if (lenient?.missingContentLength !== true) {
      return fail(E.MISSING_CONTENT_LENGTH, bodyStart, 'body without Content-Length')
    }
    if (available > limits.maxBodyBytes) return fail(E.BODY_TOO_LARGE, bodyStart, 'body too large')
    used = addLeniency(used, 'missingContentLength')
    bodyEnd = len
  }

  const message = new SipMessageImpl(bytes, offsets, count, head, headStart)
  message.kind = sl.kind
  if (isRequest) {
    message.method = sl.method
    message.requestUri = sl.requestUri
    message.parsedRequestUri = sl.parsedUri
  } else {
    message.status = sl.status
    message.reason = sl.reason
  }
  message.version = sl.version
  message.via = via
  message.from = from
  message.to = to
  message.callId = callId
  message.cseq = { seq, method: cseqMethod }
  message.maxForwards = maxForwards
  if (hasContact) message.setContacts(contactsOf, limits.maxContactValues)
  if (iUa !== -1) message.setUserAgentAt(iUa)
  message.contentLength = contentLength === -1 ? undefined : contentLength
  message.leniencies = used ?? NO_LENIENCIES
  message.setSpan(start, bodyStart, bodyEnd)
  return { ok: true, message: message as unknown as SipMessage }
}

/**
 * Check the Contact values of the header table (every Contact header, lists split); with `build`, return
 * them as NameAddr objects. Without, nothing is allocated for plain ASCII values: `parse` checks them
 * and the message builds them on first access of `contact`.
 *
 * Performance: a honeypot reads Contact rarely; not building three objects and two strings per Contact
 * during `parse` saves a few % of a short OPTIONS (bench/parse.ts).
 */
function contactsOf(
  bytes: Uint8Array,
  offsets: number[],
  count: number,
  head: string,
  headStart: number,
  maxContacts: number,
  build: boolean,
): NameAddr[] | Fail {
  const contact: NameAddr[] = []
  let n = 0
  for (let i = 0; i < count; i++) {
    if ((offsets[i * 5 + 4]! & 0xff) !== H_CONTACT) continue
    const vs = offsets[i * 5 + 2]!
    const ve = offsets[i * 5 + 3]!
    if (ve - vs === 1 && bytes[vs] === 42 /* * */) {
      if (build) contact.push({ uri: '*', params: newParams(), raw: '*' })
      n++
      continue
    }
    if ((offsets[i * 5 + 4]! & (FOLDED | HIGH)) === 0) {
      // As for Via: one name-addr first (a comma it accepts is inside quotes or <>, where splitting
      // ignores it too), the list split only when that fails.
      if (n < maxContacts) {
        const c = parseNameAddrBytes(bytes, vs, ve, head, headStart, build)
        if (c !== undefined) {
          if (build) contact.push(c)
          n++
          continue
        }
      }
      const parts = splitListB(bytes, vs, ve)
      if (n + parts.length / 2 > maxContacts) {
        return fail(E.TOO_MANY_HEADERS, vs, 'too many Contact values')
      }
      for (let k = 0; k < parts.length; k += 2) {
        const c = parseNameAddrBytes(bytes, parts[k]!, parts[k + 1]!, head, headStart, build)
        if (c === undefined) return fail(E.BAD_NAME_ADDR, vs, `bad Contact: ${nameAddrError.message}`)
        if (build) contact.push(c)
        n++
      }
    } else {
      const v = valueTextAt(bytes, offsets, head, headStart, i)
      if (v === '*') {
        if (build) contact.push({ uri: '*', params: newParams(), raw: '*' })
        n++
        continue
      }
      const parts = splitList(v)
      if (n + parts.length > maxContacts) {
        return fail(E.TOO_MANY_HEADERS, vs, 'too many Contact values')
      }
      for (const part of parts) {
        const c = parseNameAddr(part)
        if (c === undefined) return fail(E.BAD_NAME_ADDR, vs, `bad Contact: ${nameAddrError.message}`)
        if (build) contact.push(c)
        n++
      }
    }
    if (n > maxContacts) return fail(E.TOO_MANY_HEADERS, vs, 'too many Contact values')
  }
  return contact
}

function missing(at: number, name: string): Fail {
  return fail(E.MISSING_HEADER, at, `missing ${name}`)
}

/** From / To / one Contact value of header `i` (single values: a comma outside quotes and <> is an error). */
function nameAddrAt(
  bytes: Uint8Array,
  offsets: number[],
  head: string,
  base: number,
  i: number,
): NameAddr | undefined {
  return (offsets[i * 5 + 4]! & (FOLDED | HIGH)) === 0
    ? parseNameAddrBytes(bytes, offsets[i * 5 + 2]!, offsets[i * 5 + 3]!, head, base)
    : parseNameAddr(valueTextAt(bytes, offsets, head, base, i))
}

const NO_LENIENCIES: Leniency[] = Object.freeze([]) as unknown as Leniency[]

function addLeniency(used: Leniency[] | undefined, l: Leniency): Leniency[] {
  if (used === undefined) return [l]
  if (!used.includes(l)) used.push(l)
  return used
}

function parseDecimal(s: string, max = Number.MAX_SAFE_INTEGER): number {
  if (s.length === 0) return -1
  let v = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
    if (v > max) return -1
  }
  return v
}

/** The start line of the message being parsed (module scratch: parse is synchronous, not re-entrant). */
const sl: {
  kind: 'request' | 'response'
  method: string
  requestUri: string
  parsedUri: SipUri | undefined
  status: number
  reason: string
  version: string
  lenient: boolean
} = {
  kind: 'request',
  method: '',
  requestUri: '',
  parsedUri: undefined,
  status: 0,
  reason: '',
  version: '',
  lenient: false,
}

function parseStartLine(
  bytes: Uint8Array,
  start: number,
  end: number,
  allowWs: boolean,
  high: boolean,
  text: string,
  base: number,
): Fail | undefined {
  const isResponse =
    end - start >= 4 &&
    (bytes[start]! | 32) === 115 &&
    (bytes[start + 1]! | 32) === 105 &&
    (bytes[start + 2]! | 32) === 112 &&
    bytes[start + 3] === 47
  let lenientUsed = false
  if (isResponse) {
    let sp1 = start
    while (sp1 < end && bytes[sp1] !== SP) sp1++
    if (sp1 === end) return fail(E.BAD_START_LINE, start, 'Status-Line without SP')
    const version = isSip20(bytes, start, sp1) ? SIP_2_0 : text.slice(start - base, sp1 - base)
    const vErr = version === SIP_2_0 ? undefined : checkVersion(version, start)
    if (vErr) return vErr
    let q = sp1 + 1
    if (bytes[q] === SP) {
      if (!allowWs) return fail(E.BAD_START_LINE, q, 'extra SP in Status-Line')
      lenientUsed = true
      while (bytes[q] === SP) q++
    }
    const codeStart = q
    while (q < end && bytes[q]! >= 48 && bytes[q]! <= 57) q++
    if (q - codeStart !== 3) return fail(E.BAD_STATUS_CODE, codeStart, 'status code is not 3 digits')
    const status =
      (bytes[codeStart]! - 48) * 100 + (bytes[codeStart + 1]! - 48) * 10 + (bytes[codeStart + 2]! - 48)
    if (status < 100 || status > 699) return fail(E.BAD_STATUS_CODE, codeStart, 'status code not in 100..699')
    let reason = ''
    if (q !== end) {
      if (bytes[q] !== SP) return fail(E.BAD_STATUS_CODE, q, 'status code followed by a non-SP')
      reason = high ? decode(bytes, q + 1, end) : text.slice(q + 1 - base, end - base)
    } else if (!allowWs) {
      return fail(E.BAD_START_LINE, q, 'Status-Line without SP before the reason phrase')
    } else lenientUsed = true
    sl.kind = 'response'
    sl.status = status
    sl.reason = reason
    sl.version = version
    sl.lenient = lenientUsed
    sl.parsedUri = undefined
    return undefined
  }
  let last = end
  if (bytes[last - 1] === SP || bytes[last - 1] === HT) {
    if (!allowWs) return fail(E.BAD_START_LINE, last - 1, 'trailing whitespace in Request-Line')
    lenientUsed = true
    while (last > start && (bytes[last - 1] === SP || bytes[last - 1] === HT)) last--
  }
  let m = start
  while (m < last && (CLASS[bytes[m]!]! & TOKEN) !== 0) m++
  if (m === start) return fail(E.BAD_METHOD, start, 'method is not a token')
  if (bytes[m] !== SP)
    return fail(m === last ? E.BAD_START_LINE : E.BAD_METHOD, m, 'method not followed by SP')
  let lastSp = last - 1
  while (lastSp > m && bytes[lastSp] !== SP) lastSp--
  if (lastSp === m) return fail(E.BAD_START_LINE, m, 'Request-Line without SIP-Version')
  const version = isSip20(bytes, lastSp + 1, last) ? SIP_2_0 : text.slice(lastSp + 1 - base, last - base)
  const vErr = version === SIP_2_0 ? undefined : checkVersion(version, lastSp + 1)
  if (vErr) return vErr
  let uStart = m + 1
  let uEnd = lastSp
  if (bytes[uStart] === SP || bytes[uEnd - 1] === SP) {
    if (!allowWs) return fail(E.BAD_START_LINE, uStart, 'extra SP in Request-Line')
    lenientUsed = true
    while (uStart < uEnd && bytes[uStart] === SP) uStart++
    while (uEnd > uStart && bytes[uEnd - 1] === SP) uEnd--
  }
  if (uStart === uEnd) return fail(E.BAD_REQUEST_URI, uStart, 'empty Request-URI')
  for (let i = uStart; i < uEnd; i++) {
    const b = bytes[i]!
    if (b <= SP || b >= 127) return fail(E.BAD_REQUEST_URI, i, 'whitespace or control in Request-URI')
  }
  const u = checkRequestUri(bytes, uStart, uEnd, text, base)
  if (u !== undefined && 'ok' in u) return u
  sl.kind = 'request'
  sl.method = methodAt(bytes, start, m, text, base)
  // A parsed URI's `raw` is the same slice of `text` (no second string).
  sl.requestUri = u !== undefined ? u.raw : text.slice(uStart - base, uEnd - base)
  sl.parsedUri = u
  sl.version = version
  sl.lenient = lenientUsed
  return undefined
}

const SIP_2_0 = 'SIP/2.0'

/** Whether bytes[s, e) are exactly `SIP/2.0`. */
function isSip20(b: Uint8Array, s: number, e: number): boolean {
  return (
    e - s === 7 &&
    b[s] === 83 &&
    b[s + 1] === 73 &&
    b[s + 2] === 80 &&
    b[s + 3] === 47 &&
    b[s + 4] === 50 &&
    b[s + 5] === 46 &&
    b[s + 6] === 48
  )
}

/**
 * The method token bytes[s, e): the shared constant for a registered method (compared byte by byte,
 * case-sensitive as RFC 3261 §7.1), else a slice of `text`. Performance: no string copied for the
 * methods a honeypot sees (bench/parse.ts).
 */
function methodAt(b: Uint8Array, s: number, e: number, text: string, base: number): string {
  const n = e - s
  for (let k = 0; k < SIP_METHODS.length; k++) {
    const m = SIP_METHODS[k]!
    if (m.length !== n) continue
    let j = 0
    while (j < n && b[s + j] === m.charCodeAt(j)) j++
    if (j === n) return m
  }
  return text.slice(s - base, e - base)
}

function checkVersion(version: string, offset: number): Fail | undefined {
  if (version === 'SIP/2.0' || (version.length === 7 && version.toUpperCase() === 'SIP/2.0')) return undefined
  if (/^SIP\/[0-9]+\.[0-9]+$/i.test(version)) {
    return fail(E.VERSION_NOT_SUPPORTED, offset, `SIP version ${version} not supported`)
  }
  return fail(E.BAD_START_LINE, offset, 'bad SIP-Version')
}

/** Validate a Request-URI; returns its parsed form (sip/sips/tel), undefined (other schemes) or a failure. */
function checkRequestUri(
  bytes: Uint8Array,
  offset: number,
  end: number,
  line: string,
  lineStart: number,
): SipUri | undefined | Fail {
  if (bytes[offset] === 60 /* < */) return fail(E.BAD_REQUEST_URI, offset, 'Request-URI enclosed in <>')
  const r = uriFromBytes(bytes, offset, end, line, lineStart)
  if (!('ok' in r)) {
    // A URI without headers has the shared empty header dictionary (parseUri rejects an empty list).
    if (r.scheme !== 'tel' && r.headers !== NO_URI_HEADERS) {
      for (const _ in r.headers) {
        return fail(E.BAD_REQUEST_URI, offset, 'headers are not allowed in a Request-URI (RFC 3261 §19.1.1)')
      }
    }
    return r
  }
  // e.g. RFC 4475 §3.3.2: an unknown scheme is parsed; a UAS answers 416
  const uri = line.slice(offset - lineStart, end - lineStart)
  if (r.error.code === E.UNSUPPORTED_URI_SCHEME && uri.length > uri.indexOf(':') + 1) return undefined
  return fail(E.BAD_REQUEST_URI, offset + r.error.offset, `bad Request-URI: ${r.error.message}`)
}
