import { CLASS, isToken, TOKEN } from './char-classes.js'
import { DEFAULT_LIMITS, type Leniency, MAX_CSEQ, MAX_MAX_FORWARDS, type SipLimits } from './constants.js'
import { decode } from './decode.js'
import { ParseErrorCode as E, fail, type ParseErrorCode } from './errors.js'
import { canonicalName, SINGLE_VALUE_HEADERS } from './header-names.js'
import { parseNameAddr } from './parse-name-addr.js'
import { parseUri } from './parse-uri.js'
import { parseVia } from './parse-via.js'
import { type HeaderTable, SipMessageImpl } from './sip-message.js'
import { splitList } from './split-list.js'
import type { CSeq, NameAddr, ParseOptions, ParseResult, SipMessage, Via } from './types.js'

const CR = 13
const LF = 10
const SP = 32
const HT = 9
const COLON = 58

/** Lower-case the header name bytes[start, end) (ASCII token) without allocating a sub-array. */
function lowerName(bytes: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) {
    const b = bytes[i]!
    s += String.fromCharCode(b >= 65 && b <= 90 ? b | 32 : b)
  }
  return s
}

const nameCache = new Map<string, string>()
function canonicalKey(lower: string): string {
  let k = nameCache.get(lower)
  if (k === undefined) {
    k = canonicalName(lower)
    if (nameCache.size < 1024) nameCache.set(lower, k)
  }
  return k
}

const DATE_RE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/

/** Parse `1*DIGIT` with leading zeros allowed; -1 when not digits or above `max`. */
function parseDigits(s: string, max: number): number {
  if (s.length === 0) return -1
  let v = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return -1
    v = v * 10 + (c - 48)
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

/**
 * Parse one SIP message (a UDP datagram, or one message framed by the stream framer).
 * Never throws: any input yields `{ ok: true, message }` or `{ ok: false, error }` with a stable
 * `code` (see `ParseErrorCode`) and the byte `offset` of the problem.
 *
 * Strict by default (RFC 3261 §7, §8.1.1, §18.3, §20, §25); `options.lenient` turns on named
 * leniencies, and `message.leniencies` lists the ones a message needed.
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
  const used: Leniency[] = []
  const allow = (l: Leniency): boolean => {
    if (lenient?.[l] !== true) return false
    if (!used.includes(l)) used.push(l)
    return true
  }
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

  // ---- line scanning -------------------------------------------------------------------------------
  let nextCr = bytes.indexOf(CR, start)
  /** End of the line starting at p (index of CR or LF, or len); sets `lineNext`; -1 on a bad line end. */
  let lineNext = 0
  let lineError: ParseErrorCode | undefined
  let lineErrorAt = 0
  const lineEnd = (p: number): number => {
    const lf = bytes.indexOf(LF, p)
    if (nextCr !== -1 && nextCr < p) nextCr = bytes.indexOf(CR, p)
    if (lf === -1) {
      // Unterminated last line
      if (nextCr !== -1) {
        lineError = E.BAD_LINE_ENDING
        lineErrorAt = nextCr
        return -1
      }
      lineNext = len
      return len
    }
    if (nextCr !== -1 && nextCr < lf - 1) {
      lineError = E.BAD_LINE_ENDING
      lineErrorAt = nextCr
      return -1
    }
    lineNext = lf + 1
    if (nextCr === lf - 1) {
      nextCr = bytes.indexOf(CR, lf + 1)
      return lf - 1
    }
    if (!allow('bareLf')) {
      lineError = E.BAD_LINE_ENDING
      lineErrorAt = lf
      return -1
    }
    return lf
  }

  // ---- start line ----------------------------------------------------------------------------------
  const slEnd = lineEnd(start)
  if (slEnd < 0) return fail(lineError!, lineErrorAt, 'line not terminated by CRLF')
  if (slEnd - start > limits.maxStartLineBytes) {
    return fail(E.START_LINE_TOO_LONG, start + limits.maxStartLineBytes, 'start line too long')
  }
  let p = lineNext
  let kind: 'request' | 'response'
  let method = ''
  let requestUri = ''
  let status = 0
  let reason = ''
  let version = ''
  const isResponse =
    slEnd - start >= 4 &&
    (bytes[start]! | 32) === 115 &&
    (bytes[start + 1]! | 32) === 105 &&
    (bytes[start + 2]! | 32) === 112 &&
    bytes[start + 3] === 47
  if (isResponse) {
    kind = 'response'
    const sp1 = bytes.indexOf(SP, start)
    if (sp1 === -1 || sp1 > slEnd) return fail(E.BAD_START_LINE, start, 'Status-Line without SP')
    version = decode(bytes, start, sp1)
    const vErr = checkVersion(version, start)
    if (vErr) return vErr
    let q = sp1 + 1
    if (bytes[q] === SP) {
      if (!allow('extraWhitespaceInStartLine')) return fail(E.BAD_START_LINE, q, 'extra SP in Status-Line')
      while (bytes[q] === SP) q++
    }
    const codeStart = q
    while (q < slEnd && bytes[q]! >= 48 && bytes[q]! <= 57) q++
    if (q - codeStart !== 3) return fail(E.BAD_STATUS_CODE, codeStart, 'status code is not 3 digits')
    status = (bytes[codeStart]! - 48) * 100 + (bytes[codeStart + 1]! - 48) * 10 + (bytes[codeStart + 2]! - 48)
    if (status < 100 || status > 699) return fail(E.BAD_STATUS_CODE, codeStart, 'status code not in 100..699')
    if (q !== slEnd) {
      if (bytes[q] !== SP) return fail(E.BAD_STATUS_CODE, q, 'status code followed by a non-SP')
      reason = decode(bytes, q + 1, slEnd)
    } else if (!allow('extraWhitespaceInStartLine')) {
      return fail(E.BAD_START_LINE, q, 'Status-Line without SP before the reason phrase')
    }
  } else {
    kind = 'request'
    let lineLast = slEnd
    if (bytes[lineLast - 1] === SP || bytes[lineLast - 1] === HT) {
      if (!allow('extraWhitespaceInStartLine')) {
        return fail(E.BAD_START_LINE, lineLast - 1, 'trailing whitespace in Request-Line')
      }
      while (lineLast > start && (bytes[lineLast - 1] === SP || bytes[lineLast - 1] === HT)) lineLast--
    }
    let m = start
    while (m < lineLast && (CLASS[bytes[m]!]! & TOKEN) !== 0) m++
    if (m === start) return fail(E.BAD_METHOD, start, 'method is not a token')
    if (bytes[m] !== SP) {
      return fail(m === lineLast ? E.BAD_START_LINE : E.BAD_METHOD, m, 'method not followed by SP')
    }
    method = decode(bytes, start, m)
    let lastSp = lineLast - 1
    while (lastSp > m && bytes[lastSp] !== SP) lastSp--
    if (lastSp === m) return fail(E.BAD_START_LINE, m, 'Request-Line without SIP-Version')
    version = decode(bytes, lastSp + 1, lineLast)
    const vErr = checkVersion(version, lastSp + 1)
    if (vErr) return vErr
    let uStart = m + 1
    let uEnd = lastSp
    if (bytes[uStart] === SP || bytes[uEnd - 1] === SP) {
      if (!allow('extraWhitespaceInStartLine'))
        return fail(E.BAD_START_LINE, uStart, 'extra SP in Request-Line')
      while (uStart < uEnd && bytes[uStart] === SP) uStart++
      while (uEnd > uStart && bytes[uEnd - 1] === SP) uEnd--
    }
    if (uStart === uEnd) return fail(E.BAD_REQUEST_URI, uStart, 'empty Request-URI')
    for (let i = uStart; i < uEnd; i++) {
      const b = bytes[i]!
      if (b <= SP || b >= 127) return fail(E.BAD_REQUEST_URI, i, 'whitespace or control in Request-URI')
    }
    requestUri = decode(bytes, uStart, uEnd)
    const uErr = checkRequestUri(requestUri, uStart)
    if (uErr) return uErr
  }

  // ---- header section ------------------------------------------------------------------------------
  const offsets: number[] = []
  const folded: boolean[] = []
  const keys: string[] = []
  let bodyStart = -1
  let count = 0
  while (p < len) {
    if (p - start > limits.maxHeaderBytes) return fail(E.HEADERS_TOO_LARGE, p, 'header section too large')
    const b0 = bytes[p]!
    if (b0 === CR || b0 === LF) {
      // empty line: end of headers
      const e = lineEnd(p)
      if (e < 0) return fail(lineError!, lineErrorAt, 'line not terminated by CRLF')
      bodyStart = lineNext
      break
    }
    if (b0 === SP || b0 === HT) return fail(E.BAD_HEADER, p, 'continuation line without a header')
    let n = p
    while (n < len && (CLASS[bytes[n]!]! & TOKEN) !== 0) n++
    const nameEnd = n
    if (nameEnd === p) return fail(E.BAD_HEADER, p, 'header name is not a token')
    while (n < len && (bytes[n] === SP || bytes[n] === HT)) n++
    if (bytes[n] !== COLON) return fail(E.BAD_HEADER, n, 'header name not followed by ":"')
    n++
    let e = lineEnd(p)
    if (e < 0) return fail(lineError!, lineErrorAt, 'line not terminated by CRLF')
    if (e < n) return fail(E.BAD_HEADER, e, 'header line ends inside its name')
    let isFolded = false
    // continuation lines
    while (lineNext < len && (bytes[lineNext] === SP || bytes[lineNext] === HT)) {
      isFolded = true
      e = lineEnd(lineNext)
      if (e < 0) return fail(lineError!, lineErrorAt, 'line not terminated by CRLF')
    }
    // trim leading/trailing WS of the value
    while (n < e && (bytes[n] === SP || bytes[n] === HT)) n++
    let ve = e
    while (ve > n && (bytes[ve - 1] === SP || bytes[ve - 1] === HT)) ve--
    if (++count > limits.maxHeaders) return fail(E.TOO_MANY_HEADERS, p, 'too many header fields')
    offsets.push(p, nameEnd, n, ve)
    folded.push(isFolded)
    keys.push(canonicalKey(lowerName(bytes, p, nameEnd)))
    p = lineNext
  }
  if (bodyStart === -1) {
    if (p - start > limits.maxHeaderBytes) return fail(E.HEADERS_TOO_LARGE, p, 'header section too large')
    if (stream || !allow('unterminatedHeaders')) {
      return fail(E.HEADERS_INCOMPLETE, len, 'header section not terminated by an empty line')
    }
    bodyStart = len
  }
  if (bodyStart - start > limits.maxHeaderBytes) {
    return fail(E.HEADERS_TOO_LARGE, start + limits.maxHeaderBytes, 'header section too large')
  }

  const table: HeaderTable = { offsets, folded, keys }
  const valueText = (i: number): string => {
    const vs = offsets[i * 4 + 2]!
    const ve = offsets[i * 4 + 3]!
    return folded[i] ? decode(bytes, vs, ve).replace(/[ \t]*\r?\n[ \t]+/g, ' ') : decode(bytes, vs, ve)
  }
  const at = (i: number): number => offsets[i * 4 + 2]!

  // ---- well-known headers --------------------------------------------------------------------------
  let iFrom = -1
  let iTo = -1
  let iCallId = -1
  let iCseq = -1
  let iMaxFwd = -1
  let iCl = -1
  let iDate = -1
  const vias: number[] = []
  const contacts: number[] = []
  let contentLength: number | undefined
  const seen = new Set<string>()
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    switch (k) {
      case 'via':
        vias.push(i)
        continue
      case 'contact':
        contacts.push(i)
        continue
      case 'from':
        if (iFrom === -1) iFrom = i
        break
      case 'to':
        if (iTo === -1) iTo = i
        break
      case 'call-id':
        if (iCallId === -1) iCallId = i
        break
      case 'cseq':
        if (iCseq === -1) iCseq = i
        break
      case 'max-forwards':
        if (iMaxFwd === -1) iMaxFwd = i
        break
      case 'date':
        if (iDate === -1) iDate = i
        break
      case 'content-length': {
        const v = parseDigits(valueText(i), Number.MAX_SAFE_INTEGER)
        if (v < 0) return fail(E.BAD_CONTENT_LENGTH, at(i), 'Content-Length is not a decimal number')
        if (contentLength !== undefined && v !== contentLength) {
          return fail(E.CONFLICTING_CONTENT_LENGTH, at(i), 'conflicting Content-Length values')
        }
        contentLength = v
        if (iCl === -1) iCl = i
        break
      }
    }
    if (SINGLE_VALUE_HEADERS.has(k)) {
      if (seen.has(k)) return fail(E.DUPLICATE_HEADER, offsets[i * 4]!, `${k} appears more than once`)
      seen.add(k)
    }
  }
  const missing = (name: string): ParseResult => fail(E.MISSING_HEADER, bodyStart, `missing ${name}`)
  if (vias.length === 0) return missing('Via')
  if (iFrom === -1) return missing('From')
  if (iTo === -1) return missing('To')
  if (iCallId === -1) return missing('Call-ID')
  if (iCseq === -1) return missing('CSeq')
  if (kind === 'request' && iMaxFwd === -1 && !allow('missingMaxForwards')) return missing('Max-Forwards')

  // Via
  const via: Via[] = []
  for (const i of vias) {
    for (const part of splitList(valueText(i))) {
      const r = parseVia(part)
      if (!r.ok) return fail(E.BAD_VIA, at(i), `bad Via: ${r.message}`)
      if (via.length >= limits.maxViaValues) return fail(E.TOO_MANY_HEADERS, at(i), 'too many Via values')
      via.push(r.value)
    }
  }
  // From / To (single values: a comma outside quotes and <> is an error)
  const single = (i: number, name: string): NameAddr | ParseResult => {
    const v = valueText(i)
    const r = parseNameAddr(v)
    if (!r.ok) return fail(E.BAD_NAME_ADDR, at(i), `bad ${name}: ${r.message}`)
    return r.value
  }
  const from = single(iFrom, 'From')
  if ('ok' in from) return from
  const to = single(iTo, 'To')
  if ('ok' in to) return to
  // Contact
  const contact: NameAddr[] = []
  for (const i of contacts) {
    const v = valueText(i)
    if (v === '*') {
      contact.push({ uri: '*', params: Object.create(null), raw: '*' })
      continue
    }
    for (const part of splitList(v)) {
      const r = parseNameAddr(part)
      if (!r.ok) return fail(E.BAD_NAME_ADDR, at(i), `bad Contact: ${r.message}`)
      if (contact.length >= limits.maxContactValues) {
        return fail(E.TOO_MANY_HEADERS, at(i), 'too many Contact values')
      }
      contact.push(r.value)
    }
  }
  // Call-ID
  const callId = valueText(iCallId)
  if (callId.length === 0) return fail(E.BAD_CALL_ID, at(iCallId), 'empty Call-ID')
  for (let i = 0; i < callId.length; i++) {
    const c = callId.charCodeAt(i)
    if (c <= 32 || c === 127 || c > 126) return fail(E.BAD_CALL_ID, at(iCallId), 'bad character in Call-ID')
  }
  // CSeq
  const cseqText = valueText(iCseq)
  let sp = 0
  while (sp < cseqText.length && cseqText.charCodeAt(sp) >= 48 && cseqText.charCodeAt(sp) <= 57) sp++
  const seq = parseDigits(cseqText.slice(0, sp), MAX_CSEQ)
  if (seq < 0) return fail(E.BAD_CSEQ, at(iCseq), 'CSeq number missing or above 2^32-1')
  const cseqMethod = cseqText.slice(sp).trim()
  if (!isToken(cseqMethod) || (cseqText.charCodeAt(sp) !== SP && cseqText.charCodeAt(sp) !== HT)) {
    return fail(E.BAD_CSEQ, at(iCseq), 'CSeq method is not a token')
  }
  if (kind === 'request' && cseqMethod !== method) {
    return fail(E.CSEQ_METHOD_MISMATCH, at(iCseq), 'CSeq method differs from the request method')
  }
  const cseq: CSeq = { seq, method: cseqMethod }
  // Max-Forwards
  let maxForwards: number | undefined
  if (iMaxFwd !== -1) {
    const v = parseDigits(valueText(iMaxFwd), MAX_MAX_FORWARDS)
    if (v < 0) return fail(E.BAD_MAX_FORWARDS, at(iMaxFwd), 'Max-Forwards is not a number in 0..255')
    maxForwards = v
  }
  // Date
  if (iDate !== -1 && !DATE_RE.test(valueText(iDate))) {
    return fail(E.BAD_DATE, at(iDate), 'Date is not an RFC 1123 date in GMT')
  }

  // ---- body ----------------------------------------------------------------------------------------
  const available = len - bodyStart
  let bodyEnd: number
  if (contentLength !== undefined) {
    if (contentLength > limits.maxBodyBytes) {
      return fail(E.BODY_TOO_LARGE, at(iCl), `Content-Length above ${limits.maxBodyBytes}`)
    }
    if (contentLength > available) {
      if (stream || !allow('contentLengthExceedsBody')) {
        return fail(E.BODY_INCOMPLETE, len, `Content-Length ${contentLength} but ${available} body bytes`)
      }
      bodyEnd = len
    } else bodyEnd = bodyStart + contentLength // RFC 3261 §18.3: extra datagram bytes are ignored
  } else if (available === 0) {
    bodyEnd = len
  } else {
    if (!allow('missingContentLength')) {
      return fail(E.MISSING_CONTENT_LENGTH, bodyStart, 'body without Content-Length')
    }
    if (available > limits.maxBodyBytes) return fail(E.BODY_TOO_LARGE, bodyStart, 'body too large')
    bodyEnd = len
  }

  const message = new SipMessageImpl(bytes, table, {
    kind,
    method,
    requestUri,
    status,
    reason,
    version,
    via,
    from,
    to,
    callId,
    cseq,
    maxForwards,
    contact,
    contentLength,
    body: bytes.subarray(bodyStart, bodyEnd),
    leniencies: used,
    raw: bytes.subarray(start, bodyEnd),
  })
  return { ok: true, message: message as unknown as SipMessage }
}

function checkVersion(version: string, offset: number): ParseResult | undefined {
  if (version.length === 7 && version.toUpperCase() === 'SIP/2.0') return undefined
  if (/^SIP\/[0-9]+\.[0-9]+$/i.test(version)) {
    return fail(E.VERSION_NOT_SUPPORTED, offset, `SIP version ${version} not supported`)
  }
  return fail(E.BAD_START_LINE, offset, 'bad SIP-Version')
}

function checkRequestUri(uri: string, offset: number): ParseResult | undefined {
  if (uri.charCodeAt(0) === 60 /* < */) return fail(E.BAD_REQUEST_URI, offset, 'Request-URI enclosed in <>')
  const colon = uri.indexOf(':')
  if (colon <= 0 || !/^[A-Za-z][A-Za-z0-9+\-.]*$/.test(uri.slice(0, colon)) || colon === uri.length - 1) {
    return fail(E.BAD_REQUEST_URI, offset, 'Request-URI is not an absolute URI')
  }
  const r = parseUri(uri)
  if (r.ok) {
    if (r.uri.scheme !== 'tel' && Object.keys(r.uri.headers).length > 0) {
      return fail(E.BAD_REQUEST_URI, offset, 'headers are not allowed in a Request-URI (RFC 3261 §19.1.1)')
    }
    return undefined
  }
  if (r.error.code === E.UNSUPPORTED_URI_SCHEME) return undefined // e.g. RFC 4475 §3.3.2: answer 416
  return fail(E.BAD_REQUEST_URI, offset + r.error.offset, `bad Request-URI: ${r.error.message}`)
}
