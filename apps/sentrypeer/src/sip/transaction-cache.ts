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
  /** The responses to send again when the request is retransmitted (empty in passive mode). */
  responses: Uint8Array[]
  /** The bytes of an INVITE, kept so a CANCEL can be answered with 487 for it. */
  inviteBytes?: Uint8Array
  expiresAt: number
}

export interface TransactionCacheInit {
  maxEntries: number
  ttlMs: number
  now?: () => number
}

/**
 * A bounded LRU of recent server transactions with a TTL: retransmissions are answered again from it
 * but recorded once.
 */
export class TransactionCache {
  readonly #entries = new Map<number | string, TransactionEntry>()
  readonly #maxEntries: number
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(init: TransactionCacheInit) {
    this.#maxEntries = init.maxEntries
    this.#ttlMs = init.ttlMs
    this.#now = init.now ?? Date.now
  }

  get size(): number {
    return this.#entries.size
  }

  /** The live entry for `key`, refreshed as most recently used; undefined when absent or expired. */
  get(key: number | string): TransactionEntry | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    this.#entries.delete(key)
    if (entry.expiresAt <= this.#now()) return undefined
    this.#entries.set(key, entry)
    return entry
  }

  set(key: number | string, responses: Uint8Array[], inviteBytes?: Uint8Array): void {
    const now = this.#now()
    const entry: TransactionEntry = { responses, expiresAt: now + this.#ttlMs }
    if (inviteBytes !== undefined) entry.inviteBytes = inviteBytes
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    // Evict the least recently used beyond the cap, and expired ones at the old end (a few per call).
    const keys = this.#entries.keys()
    for (let i = 0; i < 4; i++) {
      const oldest = keys.next()
      if (oldest.done) break
      const e = this.#entries.get(oldest.value) as TransactionEntry
      if (this.#entries.size > this.#maxEntries || e.expiresAt <= now) this.#entries.delete(oldest.value)
      else break
    }
  }

  clear(): void {
    this.#entries.clear()
  }
}
