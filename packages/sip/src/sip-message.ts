import type { Leniency } from './constants.js'
import { decode, unfold } from './decode.js'
import { canonicalName, H_CONTENT_TYPE, H_OTHER, headerId, ID_KEYS, LIST_HEADERS } from './header-names.js'
import { splitList } from './split-list.js'
import type { CSeq, NameAddr, SipHeader, SipUri, Via } from './types.js'

const EMPTY: NameAddr = Object.freeze({ uri: '', params: Object.freeze({}), raw: '' })
const NONE: readonly never[] = Object.freeze([])
const NO_CSEQ: CSeq = Object.freeze({ seq: 0, method: '' })
const EMPTY_BODY: Uint8Array = Object.freeze(new Uint8Array(0)) as Uint8Array

/** A plain Uint8Array view of bytes[start, end) (no copy; cheaper than Buffer#subarray). */
function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, end - start)
}

/** @internal Header flags: the value spans continuation lines / contains bytes >= 0x80 (decoded as UTF-8). */
export const FOLDED = 0x100
export const HIGH = 0x200

/**
 * @internal Header table of a parsed message: offsets into the input, five numbers per header
 * (nameStart, nameEnd, valueStart, valueEnd, and the header id with its flags).
 */
export interface HeaderTable {
  /**
   * Five numbers per header: nameStart, nameEnd, valueStart, valueEnd, and the header id (low 8 bits,
   * see header-names.ts) | FOLDED | HIGH.
   */
  offsets: number[]
  /** Number of headers. */
  count: number
  /** The start line and header section decoded one char per byte, and its byte offset in the input. */
  head: string
  headStart: number
}

/** @internal Unfolded text of header `i` of a header table (its value range is trimmed; see HeaderTable). */
export function valueTextAt(
  bytes: Uint8Array,
  offsets: number[],
  head: string,
  base: number,
  i: number,
): string {
  const f = offsets[i * 5 + 4]!
  const vs = offsets[i * 5 + 2]!
  const ve = offsets[i * 5 + 3]!
  const s = (f & HIGH) !== 0 ? decode(bytes, vs, ve) : head.slice(vs - base, ve - base)
  return (f & FOLDED) !== 0 ? unfold(s) : s
}

/** @internal `contactsOf` of parse.ts (passed in, so that this module does not import the parser). */
export type ContactsOf = (
  bytes: Uint8Array,
  offsets: number[],
  count: number,
  head: string,
  headStart: number,
  maxContacts: number,
  build: boolean,
) => NameAddr[] | object

/**
 * @internal The one implementation of SipRequest and SipResponse (kept private: only types are public,
 * where every field is readonly). `parse` fills the fields directly.
 */
export class SipMessageImpl {
  kind: 'request' | 'response' = 'request'
  method: string | undefined = undefined
  requestUri: string | undefined = undefined
  parsedRequestUri: SipUri | undefined = undefined
  status: number | undefined = undefined
  reason: string | undefined = undefined
  version = ''
  // Placeholders are shared constants (parse sets every field): no allocation per message.
  via: readonly Via[] = NONE
  from: NameAddr = EMPTY
  to: NameAddr = EMPTY
  callId = ''
  cseq: CSeq = NO_CSEQ
  maxForwards: number | undefined = undefined
  contentLength: number | undefined = undefined
  leniencies: readonly Leniency[] = NONE
  /** Byte offsets of the message start, the body start and the end (views are made on first access). */
  #start = 0
  #bodyStart = 0
  #end = 0
  #body: Uint8Array | undefined
  #raw: Uint8Array | undefined
  readonly #bytes: Uint8Array
  // The header table (see HeaderTable), held in the message itself: no table object per message.
  readonly #offsets: number[]
  readonly #count: number
  readonly #head: string
  readonly #headStart: number
  #headers: SipHeader[] | undefined
  #values: (string | undefined)[] | undefined
  #keyCache: string[] | undefined
  #contact: NameAddr[] | undefined
  #contactsOf: ContactsOf | undefined
  #maxContacts = 0
  #userAgent: string | null | undefined
  /** Index of the first User-Agent header (noted by `parse`'s pass over the header table), or -1. */
  #iUserAgent = -1

  constructor(bytes: Uint8Array, offsets: number[], count: number, head: string, headStart: number) {
    this.#bytes = bytes
    this.#offsets = offsets
    this.#count = count
    this.#head = head
    this.#headStart = headStart
  }

  /** The first User-Agent header is header `i`. */
  setUserAgentAt(i: number): void {
    this.#iUserAgent = i
  }

  /**
   * The message has Contact values, checked by `parse`; `build` makes them on first access of `contact`
   * (the same function that checked them, so it cannot fail now).
   */
  setContacts(build: ContactsOf, max: number): void {
    this.#contactsOf = build
    this.#maxContacts = max
  }

  get contact(): readonly NameAddr[] {
    if (this.#contact === undefined) {
      const build = this.#contactsOf
      const r =
        build === undefined
          ? []
          : build(
              this.#bytes,
              this.#offsets,
              this.#count,
              this.#head,
              this.#headStart,
              this.#maxContacts,
              true,
            )
      this.#contact = Array.isArray(r) ? r : []
    }
    return this.#contact
  }

  setSpan(start: number, bodyStart: number, end: number): void {
    this.#start = start
    this.#bodyStart = bodyStart
    this.#end = end
  }

  get body(): Uint8Array {
    // An empty body (most requests a honeypot sees) is one shared empty view: no allocation.
    if (this.#body === undefined) {
      this.#body = this.#end === this.#bodyStart ? EMPTY_BODY : view(this.#bytes, this.#bodyStart, this.#end)
    }
    return this.#body
  }

  get raw(): Uint8Array {
    if (this.#raw === undefined) this.#raw = view(this.#bytes, this.#start, this.#end)
    return this.#raw
  }

  /** Unfolded, trimmed value of header `i` (cached). */
  valueAt(i: number): string {
    if (this.#values === undefined) this.#values = new Array(this.#count)
    const cache = this.#values
    let v = cache[i]
    if (v === undefined) {
      v = this.#text(i)
      cache[i] = v
    }
    return v
  }

  /** Unfolded, trimmed value of header `i` (not cached). */
  #text(i: number): string {
    const v = valueTextAt(this.#bytes, this.#offsets, this.#head, this.#headStart, i)
    return (this.#offsets[i * 5 + 4]! & FOLDED) !== 0 ? v.trim() : v
  }

  get headers(): SipHeader[] {
    if (this.#headers === undefined) {
      const o = this.#offsets
      const out: SipHeader[] = []
      for (let i = 0; i < this.#count; i++) {
        out.push({ name: decode(this.#bytes, o[i * 5]!, o[i * 5 + 1]!), value: this.valueAt(i) })
      }
      this.#headers = out
    }
    return this.#headers
  }

  header(name: string): string | undefined {
    const key = canonicalName(name)
    const id = headerId(key)
    if (id !== H_OTHER) return this.#first(id)
    const keys = this.#keys()
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.valueAt(i)
    return undefined
  }

  headerValues(name: string): string[] {
    const key = canonicalName(name)
    const keys = this.#keys()
    const list = LIST_HEADERS.has(key)
    const out: string[] = []
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== key) continue
      const v = this.valueAt(i)
      if (!list) out.push(v)
      else for (const part of splitList(v)) if (part !== '') out.push(part)
    }
    return out
  }

  /** Canonical key of every header (computed on first use). */
  #keys(): string[] {
    if (this.#keyCache === undefined) {
      const keys: string[] = []
      for (let i = 0; i < this.#count; i++) {
        const id = this.#offsets[i * 5 + 4]! & 0xff
        keys.push(
          id !== H_OTHER
            ? ID_KEYS[id]!
            : canonicalName(decode(this.#bytes, this.#offsets[i * 5]!, this.#offsets[i * 5 + 1]!)),
        )
      }
      this.#keyCache = keys
    }
    return this.#keyCache
  }

  #first(id: number): string | undefined {
    for (let i = 0; i < this.#count; i++)
      if ((this.#offsets[i * 5 + 4]! & 0xff) === id) return this.valueAt(i)
    return undefined
  }

  /**
   * Performance: User-Agent is read for nearly every message a honeypot sees; it has its own cache
   * slot, so reading it does not allocate the per-header value cache (bench/parse.ts).
   */
  get userAgent(): string | undefined {
    let ua = this.#userAgent
    if (ua === undefined) {
      const i = this.#iUserAgent
      ua = i === -1 ? null : (this.#values?.[i] ?? this.#text(i))
      this.#userAgent = ua
    }
    return ua ?? undefined
  }

  get contentType(): string | undefined {
    return this.#first(H_CONTENT_TYPE)
  }

  toJSON(): object {
    const base =
      this.kind === 'request'
        ? { kind: this.kind, method: this.method, requestUri: this.requestUri }
        : { kind: this.kind, status: this.status, reason: this.reason }
    return { ...base, version: this.version, headers: this.headers, leniencies: this.leniencies }
  }
}
