import type { SipRequest } from '@sentrypeer/sip'

/** RFC 3261 §8.1.1.7: a branch starting with the magic cookie identifies the transaction alone. */
const MAGIC_COOKIE = 'z9hG4bK'

/** 53-bit FNV-1a style hash of a string (two 32-bit lanes), so keys are small numbers, not strings. */
function hash53(text: string): number {
  let h1 = 0x811c9dc5
  let h2 = 0x01000193 ^ text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995)
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff)
}

/**
 * The server transaction a request belongs to (RFC 3261 §17.2.3): top Via branch + sent-by + method
 * (CSeq method, so CANCEL and ACK are transactions of their own; `method` overrides it to find the
 * INVITE a CANCEL refers to). Requests without an RFC 3261 branch fall back to the RFC 2543 rule:
 * Request-URI, From tag, Call-ID, CSeq and the top Via. The key is a 53-bit hash of that text: it keeps
 * no reference to the message, and a collision (odds about n/2^53) only costs one unrecorded event.
 */
export function transactionKey(request: SipRequest, method: string = request.cseq.method): number {
  const via = request.via[0]
  const sentBy = via ? `${via.host}:${via.port ?? ''}` : ''
  if (via?.branch?.startsWith(MAGIC_COOKIE)) return hash53(`${via.branch}|${sentBy}|${method}`)
  return hash53(
    `2543|${request.requestUri}|${request.from.tag ?? ''}|${request.callId}|${request.cseq.seq}|${method}|${via?.raw ?? ''}`,
  )
}

/** What is remembered of a transaction. */
export interface TransactionEntry {
  /**
   * The responses to send again when the request is retransmitted, only when they cannot be built again
   * from the retransmission itself (a CANCEL's answer depends on its INVITE being known). Other answers
   * are rebuilt: the UAS gives the same bytes for the same request, and a cache of 8,192 OPTIONS answers
   * held about 6 MB of response bytes under a flood (docs/benchmarks.md, Ingest).
   */
  responses?: Uint8Array[]
  /** The bytes of an INVITE, kept so a CANCEL can be answered with 487 for it. */
  inviteBytes?: Uint8Array
  expiresAt: number
}

/** What a transaction keeps beyond its key and expiry (see {@link TransactionEntry}). */
export interface TransactionExtras {
  responses?: Uint8Array[]
  inviteBytes?: Uint8Array
}

export interface TransactionCacheInit {
  maxEntries: number
  ttlMs: number
  now?: () => number
}

/** An entry and the insertion it came from (a key set again leaves its older ring slot stale). */
interface Slot extends TransactionEntry {
  seq: number
}

/**
 * A bounded cache of recent server transactions with a TTL: retransmissions are answered again from it
 * but recorded once. A transaction lives `ttlMs` from its first request (RFC 3261 §17.2.2, Timer J:
 * 64*T1 = 32 s); beyond `maxEntries` the oldest go first.
 *
 * Keys are kept in insertion order in a ring beside the `Map`. An LRU over the `Map` alone (delete the
 * oldest key, found with `keys().next()`) was a third of the main thread's time in a flood of new
 * transactions: every delete at the front leaves a hole the next iteration steps over until V8
 * rehashes the table (apps/sentrypeer/bench/sip/handler.bench.ts).
 */
export class TransactionCache {
  readonly #entries = new Map<number | string, Slot>()
  readonly #ringKeys: Array<number | string>
  readonly #ringSeqs: Float64Array
  readonly #capacity: number
  readonly #ttlMs: number
  readonly #now: () => number
  /** Ring positions (ever increasing; the slot is the position modulo the capacity). */
  #head = 0
  #tail = 0
  #seq = 0

  constructor(init: TransactionCacheInit) {
    this.#capacity = Math.max(1, Math.floor(init.maxEntries))
    this.#ttlMs = init.ttlMs
    this.#now = init.now ?? Date.now
    this.#ringKeys = new Array(this.#capacity).fill(0)
    this.#ringSeqs = new Float64Array(this.#capacity)
  }

  get size(): number {
    return this.#entries.size
  }

  /** The live entry for `key`; undefined when absent or expired. */
  get(key: number | string): TransactionEntry | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key)
      return undefined
    }
    return entry
  }

  set(key: number | string, extras?: TransactionExtras): void {
    const now = this.#now()
    // Make room: a full ring drops its oldest slot; then expired ones at the old end (a few per call).
    if (this.#tail - this.#head === this.#capacity) this.#dropHead()
    for (let i = 0; i < 4 && this.#head < this.#tail; i++) {
      const at = this.#head % this.#capacity
      const entry = this.#entries.get(this.#ringKeys[at]!)
      if (entry !== undefined && entry.seq === this.#ringSeqs[at] && entry.expiresAt > now) break
      this.#dropHead()
    }
    const seq = ++this.#seq
    const entry: Slot = { expiresAt: now + this.#ttlMs, seq }
    if (extras?.responses !== undefined) entry.responses = extras.responses
    if (extras?.inviteBytes !== undefined) entry.inviteBytes = extras.inviteBytes
    this.#entries.set(key, entry)
    const at = this.#tail % this.#capacity
    this.#ringKeys[at] = key
    this.#ringSeqs[at] = seq
    this.#tail++
  }

  clear(): void {
    this.#entries.clear()
    this.#head = this.#tail
  }

  /** Forgets the oldest ring slot, and its entry unless the key was set again since. */
  #dropHead(): void {
    const at = this.#head % this.#capacity
    const key = this.#ringKeys[at]!
    const entry = this.#entries.get(key)
    if (entry !== undefined && entry.seq === this.#ringSeqs[at]) this.#entries.delete(key)
    this.#head++
  }
}
