import type { Leniency } from './constants.js'
import { decode, decodeFolded } from './decode.js'
import { canonicalName, LIST_HEADERS } from './header-names.js'
import { splitList } from './split-list.js'
import type { CSeq, NameAddr, SipHeader, SipUri, Via } from './types.js'

/**
 * @internal Header table of a parsed message: offsets into the input, four per header
 * (nameStart, nameEnd, valueStart, valueEnd), a folded flag and the canonical key of each name.
 */
export interface HeaderTable {
  offsets: number[]
  folded: boolean[]
  keys: string[]
}

/** @internal Everything `parse` computed eagerly. */
export interface MessageFields {
  kind: 'request' | 'response'
  method: string
  requestUri: string
  parsedRequestUri: SipUri | undefined
  status: number
  reason: string
  version: string
  via: Via[]
  from: NameAddr
  to: NameAddr
  callId: string
  cseq: CSeq
  maxForwards: number | undefined
  contact: NameAddr[]
  contentLength: number | undefined
  body: Uint8Array
  leniencies: Leniency[]
  raw: Uint8Array
}

/** @internal The one implementation of SipRequest and SipResponse (kept private: only types are public). */
export class SipMessageImpl {
  readonly kind: 'request' | 'response'
  readonly method!: string
  readonly requestUri!: string
  readonly parsedRequestUri?: SipUri
  readonly status!: number
  readonly reason!: string
  readonly version: string
  readonly via: Via[]
  readonly from: NameAddr
  readonly to: NameAddr
  readonly callId: string
  readonly cseq: CSeq
  readonly maxForwards: number | undefined
  readonly contact: NameAddr[]
  readonly contentLength: number | undefined
  readonly body: Uint8Array
  readonly leniencies: Leniency[]
  readonly raw: Uint8Array
  readonly #bytes: Uint8Array
  readonly #table: HeaderTable
  #headers: SipHeader[] | undefined
  #values: (string | undefined)[] | undefined

  constructor(bytes: Uint8Array, table: HeaderTable, f: MessageFields) {
    this.#bytes = bytes
    this.#table = table
    this.kind = f.kind
    if (f.kind === 'request') {
      this.method = f.method
      this.requestUri = f.requestUri
      if (f.parsedRequestUri !== undefined) this.parsedRequestUri = f.parsedRequestUri
    } else {
      this.status = f.status
      this.reason = f.reason
    }
    this.version = f.version
    this.via = f.via
    this.from = f.from
    this.to = f.to
    this.callId = f.callId
    this.cseq = f.cseq
    this.maxForwards = f.maxForwards
    this.contact = f.contact
    this.contentLength = f.contentLength
    this.body = f.body
    this.leniencies = f.leniencies
    this.raw = f.raw
  }

  /** Unfolded, trimmed value of header `i` (cached). */
  valueAt(i: number): string {
    if (this.#values === undefined) this.#values = new Array(this.#table.keys.length)
    const cache = this.#values
    let v = cache[i]
    if (v === undefined) {
      const o = this.#table.offsets
      v = this.#table.folded[i]
        ? decodeFolded(this.#bytes, o[i * 4 + 2]!, o[i * 4 + 3]!).trim()
        : decode(this.#bytes, o[i * 4 + 2]!, o[i * 4 + 3]!)
      cache[i] = v
    }
    return v
  }

  get headers(): SipHeader[] {
    if (this.#headers === undefined) {
      const o = this.#table.offsets
      const out: SipHeader[] = []
      for (let i = 0; i < this.#table.keys.length; i++) {
        out.push({ name: decode(this.#bytes, o[i * 4]!, o[i * 4 + 1]!), value: this.valueAt(i) })
      }
      this.#headers = out
    }
    return this.#headers
  }

  header(name: string): string | undefined {
    const key = canonicalName(name)
    const keys = this.#table.keys
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.valueAt(i)
    return undefined
  }

  headerValues(name: string): string[] {
    const key = canonicalName(name)
    const keys = this.#table.keys
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

  get userAgent(): string | undefined {
    return this.header('user-agent')
  }

  get contentType(): string | undefined {
    return this.header('content-type')
  }

  toJSON(): object {
    const base =
      this.kind === 'request'
        ? { kind: this.kind, method: this.method, requestUri: this.requestUri }
        : { kind: this.kind, status: this.status, reason: this.reason }
    return { ...base, version: this.version, headers: this.headers, leniencies: this.leniencies }
  }
}
