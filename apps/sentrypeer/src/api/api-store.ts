/**
 * What the API reads from the store: the subset of `@sentrypeer/store`'s `Store` it uses, declared here
 * so the API depends on an interface (the daemon passes the real store, which satisfies it).
 */

export type OriginFilter = 'local' | 'remote'

export type InputResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; field: string; offset: number; message: string } }

export interface ApiStoredEvent {
  eventTime: number
  eventUuid: string
  sourceIp: string
  sourcePort: number
  destinationIp: string
  destinationPort: number
  transport: 'udp' | 'tcp' | 'tls'
  method: string
  calledNumberRaw: string
  calledNumberNormalized: string
  userAgent?: string
  callId?: string
  collectionMode: 'passive' | 'responsive'
  collectorNodeId: string
  origin: string
}

export interface ApiIpSummary {
  ip: string
  family: 4 | 6
  firstSeen: number
  lastSeen: number
  seenCount: number
  expiresAt: number
}

export interface ApiNumberSummary {
  number: string
  firstSeen: number
  lastSeen: number
  seenCount: number
  expiresAt: number
}

export interface ApiValueSummary {
  value: string
  firstSeen: number
  lastSeen: number
  seenCount: number
}

export interface ApiPage<T> {
  items: T[]
  nextCursor?: string
}

export interface ApiListQuery {
  limit?: number
  cursor?: string
  since?: number
}

export interface ApiStoreStats {
  queueDepth: number
  accepted: number
  dropped: number
  rejected: number
  inserted: number
  duplicates: number
  flushes: number
  flushErrors: number
  lost: number
  lastFlushMs: number
  lastFlushSize: number
  pruned: number
}

/** The store as the API sees it. */
export interface ApiStore {
  listIps(
    query?: ApiListQuery & { family?: 4 | 6; origin?: OriginFilter },
  ): InputResult<ApiPage<ApiIpSummary>>
  iterateIps(query?: {
    since?: number
    family?: 4 | 6
    origin?: OriginFilter
    /** Only confirmed IPs: seen locally, or reported by at least this many distinct collectors. */
    minCollectors?: number
  }): InputResult<Iterable<ApiIpSummary>>
  /** The summary only; the fast path of `/ip-addresses/{ip}?recent=0`. */
  lookupIp(ip: string): ApiIpSummary | undefined
  /**
   * The API shows neither the raw SIP message nor the collectors of an IP: it passes
   * `{ rawMessage: false, collectorIds: false }` so the store reads neither.
   */
  getIp(
    ip: string,
    recentEvents?: number,
    options?: { rawMessage?: boolean; collectorIds?: boolean },
  ): (ApiIpSummary & { recentEvents: ApiStoredEvent[] }) | undefined
  listNumbers(query?: ApiListQuery & { origin?: OriginFilter }): InputResult<ApiPage<ApiNumberSummary>>
  getNumber(
    number: string,
    recentEvents?: number,
    options?: { rawMessage?: boolean },
  ): (ApiNumberSummary & { recentEvents: ApiStoredEvent[] }) | undefined
  listUserAgents(query?: ApiListQuery): InputResult<ApiPage<ApiValueSummary>>
  listMethods(query?: ApiListQuery): InputResult<ApiPage<ApiValueSummary>>
  countsPerBucket(query: {
    bucketMs: number
    since?: number
    until?: number
    family?: 4 | 6
    origin?: OriginFilter
  }): InputResult<Array<{ start: number; count: number }>>
  stats(): ApiStoreStats
}
