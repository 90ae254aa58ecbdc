import { spanB } from './byte-scan.js'
import { CLASS, HNV, HOST, PARAM, PASSWORD, USER } from './char-classes.js'
import { fail, ParseErrorCode } from './errors.js'
import { spanClass } from './header-params.js'
import { newHeaders, newParams } from './params-object.js'
import { percentDecode } from './percent-decode.js'

/** Shared empty parameter and header dictionaries (frozen) for URIs without any. */
const NO_PARAMS = Object.freeze(newParams()) as Record<string, string | true>
const NO_HEADERS = Object.freeze(newHeaders()) as Record<string, string>
/** @internal The shared empty header dictionary (a URI's `headers` is it iff the URI has no '?'). */
export const NO_URI_HEADERS: Readonly<Record<string, string>> = NO_HEADERS

/** Index of the ':' ending a valid scheme (ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )), or -1. */
export function schemeEnd(s: string): number {
  const c0 = s.charCodeAt(0) | 32
  if (!(c0 >= 97 && c0 <= 122)) return -1
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 58) return i
    const l = c | 32
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return -1
  }
  return -1
}

import type { SipUri, UriResult } from './types.js'

/** @internal A failed URI parse. */
export type UriFail = Extract<UriResult, { ok: false }>

function bad(offset: number, message: string): UriFail {
  return fail(ParseErrorCode.BAD_URI, offset, message)
}

function unsupportedScheme(scheme: string): UriFail {
  return fail(ParseErrorCode.UNSUPPORTED_URI_SCHEME, 0, `unsupported URI scheme ${scheme}`)
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102)
}

function parsePort(s: string, start: number): { port: number; end: number } | undefined {
  let i = start
  let v = 0
  while (i < s.length && i - start < 5) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    v = v * 10 + (c - 48)
    i++
  }
  if (i === start || v > 65535) return undefined
  const c = s.charCodeAt(i)
  if (c >= 48 && c <= 57) return undefined // more than 5 digits
  return { port: v, end: i }
}

/**
 * Parse an IPv6 reference starting at `s[start] === '['`; returns the index after `]`.
 * RFC 5118 §4.10: the 3-colon form allowed by RFC 3261's ABNF is tolerated.
 */
function ipv6Reference(s: string, start: number): number {
  const close = s.indexOf(']', start)
  if (close === -1 || close - start < 3) return -1
  let colons = 0
  for (let i = start + 1; i < close; i++) {
    const c = s.charCodeAt(i)
    if (c === 58) colons++
    else if (c !== 46 && !isHex(c)) return -1
  }
  return colons === 0 ? -1 : close + 1
}

/** Parse `;name[=value]` parameters from `s[i]`; stops at '?' or the end. */
function parseParams(
  s: string,
  i: number,
  params: Record<string, string | true>,
  stopAtQuestion: boolean,
): number | UriResult {
  while (i < s.length && s.charCodeAt(i) === 59 /* ; */) {
    const nameStart = i + 1
    const nameEnd = spanClass(s, nameStart, PARAM)
    if (nameEnd === nameStart) return bad(i, 'empty URI parameter')
    const rawName = s.slice(nameStart, nameEnd)
    const name = percentDecode(rawName)
    if (name === undefined) return bad(nameStart, 'bad escape in URI parameter')
    i = nameEnd
    let value: string | true = true
    if (s.charCodeAt(i) === 61 /* = */) {
      const vStart = i + 1
      const vEnd = spanClass(s, vStart, PARAM)
      if (vEnd === vStart) return bad(i, 'empty URI parameter value')
      const v = percentDecode(s.slice(vStart, vEnd))
      if (v === undefined) return bad(vStart, 'bad escape in URI parameter value')
      value = v
      i = vEnd
    }
    params[name.toLowerCase()] = value
    if (i < s.length && s.charCodeAt(i) !== 59 && !(stopAtQuestion && s.charCodeAt(i) === 63)) {
      return bad(i, 'unexpected character in URI parameters')
    }
  }
  return i
}

function parseTel(text: string, start: number): UriResult {
  // RFC 3966: telephone-subscriber = global-number / local-number, then ;params
  let i = start
  if (text.charCodeAt(i) === 43 /* + */) i++
  const numStart = i
  while (i < text.length && /[0-9A-Fa-f*#\-.()]/.test(text[i]!)) i++
  if (i === numStart || !/[0-9A-Fa-f*#]/.test(text.slice(numStart, i))) {
    return bad(start, 'tel URI without a number')
  }
  const user = text.slice(start, i)
  const params = newParams()
  const r = parseParams(text, i, params, false)
  if (typeof r !== 'number') return r
  if (r !== text.length) return bad(r, 'unexpected character in tel URI')
  const uri: SipUri = {
    scheme: 'tel',
    user,
    rawUser: user,
    password: undefined,
    host: '',
    port: undefined,
    params,
    headers: NO_HEADERS,
    raw: text,
  }
  return { ok: true, uri }
}

/**
 * Parse a SIP, SIPS (RFC 3261 §19.1) or TEL (RFC 3966) URI. User, password, parameters and headers
 * are %-unescaped exactly once (`%2541` becomes `%41`, not `A`). IPv6 references keep their brackets.
 * Never throws.
 *
 * @example
 * ```ts
 * const r = parseUri('sip:alice@[2001:db8::1]:5070;transport=tcp')
 * if (r.ok) console.log(r.uri.user, r.uri.host, r.uri.port, r.uri.params.transport)
 * // alice [2001:db8::1] 5070 tcp
 * ```
 */
export function parseUri(text: string): UriResult {
  if (typeof text !== 'string') return bad(0, 'URI is not a string')
  const colon = schemeEnd(text)
  if (colon <= 0) return bad(0, 'URI without a valid scheme')
  let scheme: 'sip' | 'sips' | 'tel' | undefined
  if (colon === 3) {
    const a = text.charCodeAt(0) | 32
    const b = text.charCodeAt(1) | 32
    const c = text.charCodeAt(2) | 32
    if (a === 115 && b === 105 && c === 112) scheme = 'sip'
    else if (a === 116 && b === 101 && c === 108) scheme = 'tel'
  } else if (colon === 4 && text.slice(0, 4).toLowerCase() === 'sips') scheme = 'sips'
  if (scheme === 'tel') return parseTel(text, colon + 1)
  if (scheme === undefined) return unsupportedScheme(text.slice(0, colon))
  let i = colon + 1
  let user: string | undefined
  let rawUser: string | undefined
  let password: string | undefined
  const at = text.indexOf('@', i)
  if (at !== -1) {
    const userEnd = spanClass(text, i, USER)
    const pwColon = text.charCodeAt(userEnd) === 58 ? userEnd : -1
    if (pwColon === -1 && userEnd !== at) return bad(userEnd, 'bad character in URI user part')
    if (userEnd === i) return bad(i, 'empty URI user part')
    rawUser = text.slice(i, userEnd)
    user = percentDecode(rawUser)
    if (user === undefined) return bad(i, 'bad escape in URI user part')
    if (pwColon !== -1) {
      const pwEnd = spanClass(text, pwColon + 1, PASSWORD)
      if (pwEnd !== at) return bad(pwEnd, 'bad character in URI password')
      password = percentDecode(text.slice(pwColon + 1, pwEnd))
      if (password === undefined) return bad(pwColon + 1, 'bad escape in URI password')
    }
    i = at + 1
  }
  const hostStart = i
  if (text.charCodeAt(i) === 91 /* [ */) {
    i = ipv6Reference(text, i)
    if (i === -1) return bad(hostStart, 'bad IPv6 reference')
  } else {
    i = spanClass(text, i, HOST)
    if (i === hostStart) return bad(hostStart, 'empty host')
  }
  const host = text.slice(hostStart, i)
  let port: number | undefined
  if (text.charCodeAt(i) === 58 /* : */) {
    const p = parsePort(text, i + 1)
    if (p === undefined) return bad(i + 1, 'bad port')
    port = p.port
    i = p.end
  }
  let params = NO_PARAMS
  if (text.charCodeAt(i) === 59 /* ; */) {
    params = newParams()
    const r = parseParams(text, i, params, true)
    if (typeof r !== 'number') return r
    i = r
  }
  let headers = NO_HEADERS
  if (text.charCodeAt(i) === 63 /* ? */) {
    headers = newHeaders()
    i++
    for (;;) {
      const nStart = i
      const nEnd = spanClass(text, nStart, HNV)
      if (nEnd === nStart || text.charCodeAt(nEnd) !== 61) return bad(nStart, 'bad URI header')
      const vStart = nEnd + 1
      const vEnd = spanClass(text, vStart, HNV)
      const rawN = text.slice(nStart, nEnd)
      const rawV = text.slice(vStart, vEnd)
      const n = percentDecode(rawN)
      const v = percentDecode(rawV)
      if (n === undefined || v === undefined) {
        return bad(nStart, 'bad escape in URI header')
      }
      headers[n] = v
      i = vEnd
      if (text.charCodeAt(i) !== 38 /* & */) break
      i++
    }
  }
  if (i !== text.length) return bad(i, 'unexpected character in URI')
  // one object shape for every URI (optional fields present, possibly undefined)
  const uri: SipUri = { scheme, user, rawUser, password, host, port, params, headers, raw: text }
  return { ok: true, uri }
}

// ---- the same parser on bytes (used by `parse`: no string to scan, pieces sliced from `text`) -------

function parseParamsBytes(
  b: Uint8Array,
  start: number,
  i: number,
  end: number,
  params: Record<string, string | true>,
  text: string,
  base: number,
): number | UriFail {
  while (i < end && b[i] === 59 /* ; */) {
    const nameStart = i + 1
    const nameEnd = spanB(b, nameStart, end, PARAM)
    if (nameEnd === nameStart) return bad(i - start, 'empty URI parameter')
    const name = percentDecode(text.slice(nameStart - base, nameEnd - base))
    if (name === undefined) return bad(nameStart - start, 'bad escape in URI parameter')
    i = nameEnd
    let value: string | true = true
    if (i < end && b[i] === 61 /* = */) {
      const vStart = i + 1
      const vEnd = spanB(b, vStart, end, PARAM)
      if (vEnd === vStart) return bad(i - start, 'empty URI parameter value')
      const v = percentDecode(text.slice(vStart - base, vEnd - base))
      if (v === undefined) return bad(vStart - start, 'bad escape in URI parameter value')
      value = v
      i = vEnd
    }
    params[name.toLowerCase()] = value
    if (i < end && b[i] !== 59 && b[i] !== 63) return bad(i - start, 'unexpected character in URI parameters')
  }
  return i
}

/**
 * @internal `parseUri` on bytes[start, end), where `text` is the same bytes decoded one char per byte
 * starting at byte offset `base` (bytes >= 0x80 are never URI characters). Same results as `parseUri`
 * on `text.slice(start - base, end - base)`, error offsets included.
 */
export function parseUriBytes(
  b: Uint8Array,
  start: number,
  end: number,
  text: string,
  base: number,
): UriResult {
  const r = uriFromBytes(b, start, end, text, base)
  return 'ok' in r ? r : { ok: true, uri: r }
}

/**
 * @internal `parseUriBytes` returning the URI itself (a SipUri has no `ok` field) or the failure.
 * Performance: no result object per URI for the parser's own callers (bench/parse.ts).
 */
export function uriFromBytes(
  b: Uint8Array,
  start: number,
  end: number,
  text: string,
  base: number,
): SipUri | UriFail {
  if (end <= start) return bad(0, 'URI without a valid scheme')
  const c0 = b[start]! | 32
  if (!(c0 >= 97 && c0 <= 122)) return bad(0, 'URI without a valid scheme')
  let colon = -1
  for (let k = start + 1; k < end; k++) {
    const c = b[k]!
    if (c === 58) {
      colon = k
      break
    }
    const l = c | 32
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) break
  }
  if (colon < 0) return bad(0, 'URI without a valid scheme')
  let scheme: 'sip' | 'sips' | 'tel' | undefined
  const n = colon - start
  if (n === 3) {
    const x = b[start + 1]! | 32
    const y = b[start + 2]! | 32
    if (c0 === 115 && x === 105 && y === 112) scheme = 'sip'
    else if (c0 === 116 && x === 101 && y === 108) scheme = 'tel'
  } else if (n === 4 && c0 === 115 && (b[start + 1]! | 32) === 105 && (b[start + 2]! | 32) === 112) {
    if ((b[start + 3]! | 32) === 115) scheme = 'sips'
  }
  if (scheme === 'tel') {
    const t = parseTel(text.slice(start - base, end - base), n + 1)
    return t.ok ? t.uri : t
  }
  if (scheme === undefined) return unsupportedScheme(text.slice(start - base, colon - base))
  let i = colon + 1
  let user: string | undefined
  let rawUser: string | undefined
  let password: string | undefined
  let at = -1
  for (let k = i; k < end; k++) {
    if (b[k] === 64) {
      at = k
      break
    }
  }
  if (at !== -1) {
    // Performance: the user part is scanned here (not with spanB) to note a '%' on the way, so
    // that a user without escapes (almost all) skips percentDecode's search (bench/parse.ts).
    let userEnd = i
    let escaped = false
    while (userEnd < end) {
      const c = b[userEnd]!
      if ((CLASS[c]! & USER) === 0) break
      if (c === 37) escaped = true
      userEnd++
    }
    const pwColon = userEnd < end && b[userEnd] === 58 ? userEnd : -1
    if (pwColon === -1 && userEnd !== at) return bad(userEnd - start, 'bad character in URI user part')
    if (userEnd === i) return bad(i - start, 'empty URI user part')
    rawUser = text.slice(i - base, userEnd - base)
    user = escaped ? percentDecode(rawUser) : rawUser
    if (user === undefined) return bad(i - start, 'bad escape in URI user part')
    if (pwColon !== -1) {
      const pwEnd = spanB(b, pwColon + 1, end, PASSWORD)
      if (pwEnd !== at) return bad(pwEnd - start, 'bad character in URI password')
      password = percentDecode(text.slice(pwColon + 1 - base, pwEnd - base))
      if (password === undefined) return bad(pwColon + 1 - start, 'bad escape in URI password')
    }
    i = at + 1
  }
  const hostStart = i
  if (i < end && b[i] === 91 /* [ */) {
    let close = -1
    for (let k = i; k < end; k++) {
      if (b[k] === 93) {
        close = k
        break
      }
    }
    if (close === -1 || close - i < 3) return bad(hostStart - start, 'bad IPv6 reference')
    let colons = 0
    for (let k = i + 1; k < close; k++) {
      const c = b[k]!
      if (c === 58) colons++
      else if (c !== 46 && !isHex(c)) return bad(hostStart - start, 'bad IPv6 reference')
    }
    if (colons === 0) return bad(hostStart - start, 'bad IPv6 reference')
    i = close + 1
  } else {
    i = spanB(b, i, end, HOST)
    if (i === hostStart) return bad(hostStart - start, 'empty host')
  }
  const host = text.slice(hostStart - base, i - base)
  let port: number | undefined
  if (i < end && b[i] === 58 /* : */) {
    const ps = i + 1
    let k = ps
    let v = 0
    while (k < end && k - ps < 5) {
      const c = b[k]! - 48
      if (c < 0 || c > 9) break
      v = v * 10 + c
      k++
    }
    if (k === ps || v > 65535 || (k < end && b[k]! >= 48 && b[k]! <= 57)) return bad(ps - start, 'bad port')
    port = v
    i = k
  }
  let params = NO_PARAMS
  if (i < end && b[i] === 59 /* ; */) {
    params = newParams()
    const r = parseParamsBytes(b, start, i, end, params, text, base)
    if (typeof r !== 'number') return r
    i = r
  }
  let headers = NO_HEADERS
  if (i < end && b[i] === 63 /* ? */) {
    headers = newHeaders()
    i++
    for (;;) {
      const nStart = i
      const nEnd = spanB(b, nStart, end, HNV)
      if (nEnd === nStart || nEnd >= end || b[nEnd] !== 61) return bad(nStart - start, 'bad URI header')
      const vStart = nEnd + 1
      const vEnd = spanB(b, vStart, end, HNV)
      const hn = percentDecode(text.slice(nStart - base, nEnd - base))
      const hv = percentDecode(text.slice(vStart - base, vEnd - base))
      if (hn === undefined || hv === undefined) return bad(nStart - start, 'bad escape in URI header')
      headers[hn] = hv
      i = vEnd
      if (i >= end || b[i] !== 38 /* & */) break
      i++
    }
  }
  if (i !== end) return bad(i - start, 'unexpected character in URI')
  const uri: SipUri = {
    scheme,
    user,
    rawUser,
    password,
    host,
    port,
    params,
    headers,
    raw: text.slice(start - base, end - base),
  }
  return uri
}
