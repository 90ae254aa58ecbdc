import { evictOldest } from './evict-oldest.ts'

/** Per-peer token buckets with a bounded number of tracked peers (least recently used forgotten). */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly ratePerMs: number
  private readonly burst: number
  private readonly maxPeers: number

  constructor(ratePerSecond: number, burst: number, maxPeers: number) {
    this.ratePerMs = ratePerSecond / 1000
    this.burst = burst
    this.maxPeers = maxPeers
  }

  /** Takes one token for `peer`; false when the peer is over its rate. */
  take(peer: string, now = Date.now()): boolean {
    let b = this.buckets.get(peer)
    if (b === undefined) {
      b = { tokens: this.burst, at: now }
      evictOldest(this.buckets, this.maxPeers)
    } else {
      this.buckets.delete(peer)
      b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.ratePerMs)
      b.at = now
    }
    this.buckets.set(peer, b)
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }
}
