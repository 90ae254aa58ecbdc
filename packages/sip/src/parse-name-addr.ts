import { TOKEN } from './char-classes.js'
import { quotedString, scanParams, skipWs, spanClass } from './header-params.js'
import { parseUri } from './parse-uri.js'
import type { NameAddr, SipUri } from './types.js'

/** @internal */
export type NameAddrScan = { ok: true; value: NameAddr } | { ok: false; offset: number; message: string }

const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*:/

class NameAddrImpl implements NameAddr {
  readonly displayName?: string
  readonly uri: string
  readonly tag?: string
  readonly params: Record<string, string | true>
  readonly raw: string
  #parsed: SipUri | undefined | null = null

  constructor(
    raw: string,
    uri: string,
    displayName: string | undefined,
    params: Record<string, string | true>,
  ) {
    this.raw = raw
    this.uri = uri
    if (displayName !== undefined) this.displayName = displayName
    this.params = params
    const tag = params.tag
    if (typeof tag === 'string') this.tag = tag
  }

  get parsedUri(): SipUri | undefined {
    if (this.#parsed === null) {
      const r = parseUri(this.uri)
      this.#parsed = r.ok ? r.uri : undefined
    }
    return this.#parsed
  }

  toJSON(): object {
    return { displayName: this.displayName, uri: this.uri, tag: this.tag, params: this.params }
  }
}

/** Is `uri` an absoluteURI-shaped string without whitespace (RFC 3261 §25.1 addr-spec)? */
function checkUri(uri: string): boolean {
  if (!SCHEME.test(uri)) return false
  for (let i = 0; i < uri.length; i++) {
    const c = uri.charCodeAt(i)
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) return false
  }
  const p = parseUri(uri)
  // sip/sips/tel URIs must be valid; other schemes are opaque (RFC 4475 §3.3.4).
  return p.ok || p.error.code === 'UNSUPPORTED_URI_SCHEME'
}

/**
 * @internal Parse `( name-addr / addr-spec ) *( SEMI generic-param )` (From, To, Contact, Route ...).
 * `s` is one list element, already unfolded.
 */
export function parseNameAddr(s: string): NameAddrScan {
  let i = skipWs(s, 0)
  let displayName: string | undefined
  let uri: string
  let angle = false
  if (s.charCodeAt(i) === 34 /* " */) {
    const q = quotedString(s, i)
    if (q === undefined) return { ok: false, offset: i, message: 'unterminated quoted display name' }
    displayName = q.value
    i = skipWs(s, q.end)
    if (s.charCodeAt(i) !== 60) return { ok: false, offset: i, message: 'expected "<" after display name' }
    angle = true
  } else {
    // *(token LWS) "<"  — or an addr-spec
    let j = i
    const words: string[] = []
    for (;;) {
      const w = j
      j = spanClass(s, j, TOKEN)
      if (j === w) break
      words.push(s.slice(w, j))
      j = skipWs(s, j)
    }
    if (s.charCodeAt(j) === 60 /* < */) {
      angle = true
      if (words.length > 0) displayName = words.join(' ')
      i = j
    }
  }
  if (angle) {
    const close = s.indexOf('>', i + 1)
    if (close === -1) return { ok: false, offset: i, message: 'unterminated "<"' }
    uri = s.slice(i + 1, close)
    if (!checkUri(uri)) return { ok: false, offset: i + 1, message: 'bad URI inside <>' }
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
      return { ok: false, offset: start, message: 'a URI with "?" or "," must be enclosed in <>' }
    }
    if (!checkUri(uri)) return { ok: false, offset: start, message: 'bad addr-spec' }
  }
  const params: Record<string, string | true> = Object.create(null)
  const r = scanParams(s, i, params)
  if (!r.ok) return r
  return { ok: true, value: new NameAddrImpl(s, uri, displayName, params) }
}
