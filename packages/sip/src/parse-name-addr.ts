import { quotedEndB, quotedValueB, scanError, scanParamsB, skipWsB, spanB } from './byte-scan.js'
import { TOKEN } from './char-classes.js'
import { paramsError, picked, quotedString, scanParams, skipWs, spanClass } from './header-params.js'
import { newParams } from './params-object.js'
import { parseUri, schemeEnd, uriFromBytes } from './parse-uri.js'
import type { NameAddr, SipParams, SipUri } from './types.js'

/** @internal What `parseNameAddrBytes(..., build = false)` returns for a valid value (nothing is built). */
export const VALID: NameAddr = Object.freeze({ uri: '', params: Object.freeze({}), raw: '' })

/** @internal Where and why the last `parseNameAddr` call failed. */
export const nameAddrError = { offset: 0, message: '' }

function err(offset: number, message: string): undefined {
  nameAddrError.offset = offset
  nameAddrError.message = message
  return undefined
}

class NameAddrImpl implements NameAddr {
  readonly tag?: string
  #displayName: string | undefined
  /** Display name still to make from the bytes: 0 none (or made), 1 quoted, 2 tokens, 3 with LWS runs. */
  #dk = 0
  #ds = 0
  #de = 0
  /** `raw` and `uri`; when parsed from bytes, sliced from the source text on first access. */
  #raw: string | undefined
  #uri: string | undefined
  readonly #paramsAt: number
  #params: SipParams | undefined
  #parsed: SipUri | undefined | null
  /** Where the value and its URI sit in the input when parsed from bytes (see `setSource`). */
  #b: Uint8Array | undefined
  #text = ''
  #base = 0
  #rs = 0
  #re = 0
  #us = 0
  #ue = 0

  constructor(
    raw: string | undefined,
    uri: string | undefined,
    known: boolean,
    displayName: string | undefined,
    paramsAt: number,
    tag: string | undefined,
  ) {
    this.#raw = raw
    this.#parsed = known ? null : undefined
    this.#uri = uri
    this.#displayName = displayName
    this.#paramsAt = paramsAt
    if (tag !== undefined) this.tag = tag
  }

  /** The display name (unquoted, unescaped; tokens joined by one SP), if there is one. */
  get displayName(): string | undefined {
    if (this.#dk !== 0) {
      const text = this.#text
      const base = this.#base
      if (this.#dk === 1) this.#displayName = quotedValueB(this.#b!, this.#ds, this.#de, text, base)
      else {
        const name = text.slice(this.#ds - base, this.#de - base)
        this.#displayName = this.#dk === 2 ? name : name.replace(/[ \t]+/g, ' ')
      }
      this.#dk = 0
    }
    return this.#displayName
  }

  /**
   * @internal The display name is bytes[ds, de) (after `setSource`): kind 1 a quoted string, 2 tokens,
   * 3 tokens with LWS runs to collapse. Performance: made only when read (bench/parse.ts).
   */
  setDisplay(kind: number, ds: number, de: number): void {
    this.#dk = kind
    this.#ds = ds
    this.#de = de
  }

  /** The whole value (unfolded, trimmed). */
  get raw(): string {
    let r = this.#raw
    if (r === undefined) {
      r = this.#text.slice(this.#rs - this.#base, this.#re - this.#base)
      this.#raw = r
    }
    return r
  }

  /** The URI as written (without `<>`). */
  get uri(): string {
    let u = this.#uri
    if (u === undefined) {
      u = this.#text.slice(this.#us - this.#base, this.#ue - this.#base)
      this.#uri = u
    }
    return u
  }

  /** Header parameters (built on first access). */
  get params(): SipParams {
    if (this.#params === undefined) {
      const params = newParams()
      scanParams(this.raw, this.#paramsAt, params)
      this.#params = params
    }
    return this.#params
  }

  /**
   * @internal The value was parsed from bytes: it spans [rs, re) and its URI [us, ue) of `text`, the
   * bytes decoded one char per byte from byte offset `base`. Performance: `raw` and `uri` are sliced
   * only when read (a honeypot reads the tag and the parsed URI; bench/parse.ts).
   */
  setSource(b: Uint8Array, rs: number, re: number, us: number, ue: number, text: string, base: number): this {
    this.#b = b
    this.#rs = rs
    this.#re = re
    this.#us = us
    this.#ue = ue
    this.#text = text
    this.#base = base
    return this
  }

  /** The URI parsed on first access (sip, sips and tel URIs; undefined for others or when malformed). */

  get parsedUri(): SipUri | undefined {
    if (this.#parsed === null) {
      const b = this.#b
      if (b === undefined) {
        const r = parseUri(this.uri)
        this.#parsed = r.ok ? r.uri : undefined
      } else {
        const r = uriFromBytes(b, this.#us, this.#ue, this.#text, this.#base)
        this.#parsed = 'ok' in r ? undefined : r
      }
    }
    return this.#parsed
  }

  toJSON(): object {
    return {
      displayName: this.displayName,
      uri: this.uri,
      parsedUri: this.parsedUri,
      tag: this.tag,
      params: this.params,
    }
  }
}

/**
 * Structural check of an addr-spec (RFC 3261 §25.1): `scheme ":" 1*char` without whitespace, controls,
 * `<`, `>` or `"`. Any scheme is accepted (RFC 4475 §3.3.4). Returns -1 when invalid, 1 for a
 * sip/sips/tel URI (parsed in full on first access of `parsedUri`), 0 for another scheme.
 */
function checkUri(uri: string): number {
  const colon = schemeEnd(uri)
  if (colon <= 0 || colon === uri.length - 1) return -1
  for (let i = colon + 1; i < uri.length; i++) {
    const c = uri.charCodeAt(i)
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) return -1
  }
  if (colon === 3) {
    const a = uri.charCodeAt(0) | 32
    const b = uri.charCodeAt(1) | 32
    const c = uri.charCodeAt(2) | 32
    return (a === 115 && b === 105 && c === 112) || (a === 116 && b === 101 && c === 108) ? 1 : 0
  }
  return colon === 4 && uri.slice(0, 4).toLowerCase() === 'sips' ? 1 : 0
}

/**
 * @internal Parse `( name-addr / addr-spec ) *( SEMI generic-param )` (From, To, Contact, Route ...).
 * `s` is one list element, already unfolded.
 */
export function parseNameAddr(s: string): NameAddr | undefined {
  let i = skipWs(s, 0)
  let displayName: string | undefined
  let uri: string
  let kind: number
  let angle = false
  if (s.charCodeAt(i) === 34 /* " */) {
    const q = quotedString(s, i)
    if (q === undefined) return err(i, 'unterminated quoted display name')
    displayName = q.value
    i = skipWs(s, q.end)
    if (s.charCodeAt(i) !== 60) return err(i, 'expected "<" after display name')
    angle = true
  } else {
    // *(token LWS) "<"  — or an addr-spec
    let j = i
    let nameEnd = i
    let singleSpaced = true
    for (;;) {
      const w = j
      j = spanClass(s, j, TOKEN)
      if (j === w) break
      nameEnd = j
      const ws = j
      j = skipWs(s, j)
      if (j - ws > 1 || (j > ws && s.charCodeAt(ws) !== 32)) singleSpaced = false
    }
    if (s.charCodeAt(j) === 60 /* < */) {
      angle = true
      if (nameEnd > i) {
        const name = s.slice(i, nameEnd)
        displayName = singleSpaced ? name : name.replace(/[ \t]+/g, ' ')
      }
      i = j
    }
  }
  if (angle) {
    const close = s.indexOf('>', i + 1)
    if (close === -1) return err(i, 'unterminated "<"')
    uri = s.slice(i + 1, close)
    kind = checkUri(uri)
    if (kind < 0) return err(i + 1, 'bad URI inside <>')
    i = close + 1
  } else {
    const start = i
    while (i < s.length) {
      const c = s.charCodeAt(i)
      if (c === 59 || c === 32 || c === 9) break
      i++
    }
    uri = s.slice(start, i)
    if (uri.includes('?') || uri.includes(',')) {
      return err(start, 'a URI with "?" or "," must be enclosed in <>')
    }
    kind = checkUri(uri)
    if (kind < 0) return err(start, 'bad addr-spec')
  }
  const end = scanParams(s, i)
  if (end < 0) return err(-1 - end, paramsError)
  const tag = picked.tag
  return new NameAddrImpl(s, uri, kind === 1, displayName, i, typeof tag === 'string' ? tag : undefined)
}

/** `checkUri` on bytes[a, z). */
function checkUriB(b: Uint8Array, a: number, z: number): number {
  if (z <= a) return -1
  const c0 = b[a]! | 32
  if (!(c0 >= 97 && c0 <= 122)) return -1
  let colon = -1
  for (let i = a + 1; i < z; i++) {
    const c = b[i]!
    if (c === 58) {
      colon = i
      break
    }
    const l = c | 32
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return -1
  }
  if (colon < 0 || colon === z - 1) return -1
  for (let i = colon + 1; i < z; i++) {
    const c = b[i]!
    if (c <= 32 || c >= 127 || c === 60 || c === 62 || c === 34) return -1
  }
  const n = colon - a
  if (n === 3) {
    const x = b[a]! | 32
    const y = b[a + 1]! | 32
    const w = b[a + 2]! | 32
    return (x === 115 && y === 105 && w === 112) || (x === 116 && y === 101 && w === 108) ? 1 : 0
  }
  return n === 4 &&
    (b[a]! | 32) === 115 &&
    (b[a + 1]! | 32) === 105 &&
    (b[a + 2]! | 32) === 112 &&
    (b[a + 3]! | 32) === 115
    ? 1
    : 0
}

/**
 * @internal `parseNameAddr` on bytes[start, end) (ASCII, unfolded, trimmed); `text` is the header
 * section decoded one char per byte starting at byte offset `base`. Same results as `parseNameAddr`.
 */
export function parseNameAddrBytes(
  b: Uint8Array,
  start: number,
  end: number,
  text: string,
  base: number,
  build = true,
): NameAddr | undefined {
  let i = start
  let dk = 0
  let ds = 0
  let de = 0
  let kind: number
  let us = 0
  let ue = 0
  let angle = false
  if (i < end && b[i] === 34 /* " */) {
    const q = quotedEndB(b, i, end)
    if (q < 0) return err(i - start, 'unterminated quoted display name')
    dk = 1
    ds = i
    de = q
    i = skipWsB(b, q, end)
    if (i >= end || b[i] !== 60) return err(i - start, 'expected "<" after display name')
    angle = true
  } else {
    let j = i
    let nameEnd = i
    let singleSpaced = true
    for (;;) {
      const w = j
      j = spanB(b, j, end, TOKEN)
      if (j === w) break
      nameEnd = j
      const ws = j
      j = skipWsB(b, j, end)
      if (j - ws > 1 || (j > ws && b[ws] !== 32)) singleSpaced = false
    }
    if (j < end && b[j] === 60 /* < */) {
      angle = true
      if (nameEnd > i) {
        dk = singleSpaced ? 2 : 3
        ds = i
        de = nameEnd
      }
      i = j
    }
  }
  if (angle) {
    let close = i + 1
    while (close < end && b[close] !== 62) close++
    if (close >= end) return err(i - start, 'unterminated "<"')
    kind = checkUriB(b, i + 1, close)
    if (kind < 0) return err(i + 1 - start, 'bad URI inside <>')
    us = i + 1
    ue = close
    i = close + 1
  } else {
    us = i
    let special = false
    while (i < end) {
      const c = b[i]!
      if (c === 59 || c === 32 || c === 9) break
      if (c === 63 || c === 44) special = true
      i++
    }
    if (special) return err(us - start, 'a URI with "?" or "," must be enclosed in <>')
    kind = checkUriB(b, us, i)
    if (kind < 0) return err(us - start, 'bad addr-spec')
    ue = i
  }
  if (scanParamsB(b, i, end, text, base) < 0) return err(scanError.offset - start, scanError.message)
  if (!build) return VALID
  const tag = picked.tag
  const na = new NameAddrImpl(
    undefined,
    undefined,
    kind === 1,
    undefined,
    i - start,
    typeof tag === 'string' ? tag : undefined,
  )
  if (dk !== 0) na.setDisplay(dk, ds, de)
  return na.setSource(b, start, end, us, ue, text, base)
}
