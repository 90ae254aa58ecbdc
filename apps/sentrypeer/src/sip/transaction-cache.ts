import type { SipRequest } from '@sentrypeer/sip'

/** RFC 3261 §8.1.1.7: a branch starting with the magic cookie identifies the transaction alone. */
const MAGIC_COOKIE = 'z9hG4bK'

/**
 * The server transaction a request belongs to (RFC 3261 §17.2.3): top Via branch + sent-by + method
 * (CSeq method, so CANCEL and ACK are transactions of their own). Requests without an RFC 3261
 * branch fall back to the RFC 2543 rule: Request-URI, From tag, Call-ID, CSeq and the top Via.
 */
export function transactionKey(request: SipRequest): string {
  const via = request.via[0]
  const sentBy = via ? `${via.host}:${via.port ?? ''}` : ''
  if (via?.branch?.startsWith(MAGIC_COOKIE)) return `${via.branch}|${sentBy}|${request.cseq.method}`
  return `2543|${request.requestUri}|${request.from.tag ?? ''}|${request.callId}|${request.cseq.seq}|${request.cseq.method}|${via?.raw ?? ''}`
}

/** What is remembered of a transaction. */
export interface TransactionEntry {
  /** The responses to send again when the request is retransmitted (empty in passive mode). */
  responses: Uint8Array[]
  /** The request itself, kept for INVITE so a CANCEL can be answered with 487 for it. */
  request?: SipRequest
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
  readonly #entries = new Map<string, TransactionEntry>()
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
  get(key: string): TransactionEntry | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    this.#entries.delete(key)
    if (entry.expiresAt <= this.#now()) return undefined
    this.#entries.set(key, entry)
    return entry
  }

  set(key: string, value: Omit<TransactionEntry, 'expiresAt'>): void {
    const now = this.#now()
    this.#entries.delete(key)
    this.#entries.set(key, { ...value, expiresAt: now + this.#ttlMs })
    // Evict the least recently used, and expired ones at the old end.
    for (const [k, e] of this.#entries) {
      if (this.#entries.size > this.#maxEntries || e.expiresAt <= now) this.#entries.delete(k)
      else break
    }
  }

  clear(): void {
    this.#entries.clear()
  }
}
