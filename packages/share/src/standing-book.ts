import { STANDING_CACHE_MS } from './constants.ts'
import { evictOldest } from './evict-oldest.ts'
import type { PeerStanding } from './index.ts'
import type { RecordIndex } from './record-index.ts'

export interface StandingRules {
  windowMs: number
  minRecords: number
  gracePeriodMs: number
  maxTrackedPeers: number
}

interface PeerState {
  firstSeen: number
  lastSeen: number
  invalidRecords: number
  rateLimited: number
  requestsServed: number
  requestsRefused: number
}

/**
 * Tit-for-tat bookkeeping: a peer has standing when it collected and published at least `minRecords`
 * valid records in the last `windowMs`, or while it is inside its grace period after we first saw it.
 */
export class StandingBook {
  private readonly peers = new Map<string, PeerState>()
  private readonly cache = new Map<string, { at: number; own: number }>()
  private readonly rules: StandingRules
  private readonly index: RecordIndex
  private readonly self: string

  constructor(rules: StandingRules, index: RecordIndex, self: string) {
    this.rules = rules
    this.index = index
    this.self = self
  }

  private state(peer: string, now: number): PeerState {
    let s = this.peers.get(peer)
    if (s === undefined) {
      s = {
        firstSeen: now,
        lastSeen: now,
        invalidRecords: 0,
        rateLimited: 0,
        requestsServed: 0,
        requestsRefused: 0,
      }
      evictOldest(this.peers, this.rules.maxTrackedPeers)
      this.peers.set(peer, s)
    }
    return s
  }

  seen(peer: string, now = Date.now()): void {
    const s = this.state(peer, now)
    s.lastSeen = now
    this.peers.delete(peer)
    this.peers.set(peer, s)
  }

  invalid(peer: string): void {
    this.state(peer, Date.now()).invalidRecords++
  }

  rateLimited(peer: string): void {
    this.state(peer, Date.now()).rateLimited++
  }

  served(peer: string): void {
    this.state(peer, Date.now()).requestsServed++
  }

  refused(peer: string): void {
    this.state(peer, Date.now()).requestsRefused++
  }

  /** Own records of `peer` in the standing window, cached for a second (gossipsub asks every heartbeat). */
  private own(peer: string, now: number): number {
    const c = this.cache.get(peer)
    if (c !== undefined && now - c.at < STANDING_CACHE_MS) return c.own
    const own = this.index.countByCollector(peer, now - this.rules.windowMs)
    if (this.cache.size > this.rules.maxTrackedPeers) this.cache.clear()
    this.cache.set(peer, { at: now, own })
    return own
  }

  /** Forget the cached count of `collector` (a record of theirs was just accepted). */
  touch(collector: string): void {
    this.cache.delete(collector)
  }

  has(peer: string, now = Date.now()): boolean {
    if (peer === this.self) return true
    if (this.own(peer, now) >= this.rules.minRecords) return true
    const s = this.peers.get(peer)
    return s !== undefined && now < s.firstSeen + this.rules.gracePeriodMs
  }

  of(peer: string, now = Date.now()): PeerStanding {
    const s = this.peers.get(peer)
    const own = this.own(peer, now)
    const hours = (this.rules.windowMs / 3_600_000).toFixed(2).replace(/\.?0+$/, '')
    const graceEndsAt = s === undefined ? undefined : s.firstSeen + this.rules.gracePeriodMs
    let status: PeerStanding['status']
    let reason: string
    if (peer === this.self) {
      status = 'self'
      reason = 'this node'
    } else if (own >= this.rules.minRecords) {
      status = 'earned'
      reason = `published ${own} valid records it collected in the last ${hours} h (minimum ${this.rules.minRecords})`
    } else if (graceEndsAt !== undefined && now < graceEndsAt) {
      status = 'grace'
      reason = `new identity: grace period until ${new Date(graceEndsAt).toISOString()}; ${own} of ${this.rules.minRecords} own records so far`
    } else {
      status = 'none'
      reason = `published ${own} valid records it collected in the last ${hours} h, minimum is ${this.rules.minRecords}${
        graceEndsAt === undefined ? '' : `; grace period ended ${new Date(graceEndsAt).toISOString()}`
      }`
    }
    return {
      peerId: peer,
      status,
      hasStanding: status !== 'none',
      reason,
      ownRecordsInWindow: own,
      firstSeen: s?.firstSeen,
      lastSeen: s?.lastSeen,
      graceEndsAt,
      invalidRecords: s?.invalidRecords ?? 0,
      rateLimited: s?.rateLimited ?? 0,
      requestsServed: s?.requestsServed ?? 0,
      requestsRefused: s?.requestsRefused ?? 0,
    }
  }

  known(): string[] {
    const out = new Set<string>(this.peers.keys())
    for (const c of this.index.collectors()) out.add(c)
    out.delete(this.self)
    return [...out]
  }
}
