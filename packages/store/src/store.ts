import type { EventErrorCode, InputError, QueryErrorCode } from './errors.js'

/** Transport the SIP message arrived on. */
export type Transport = 'udp' | 'tcp' | 'tls'
/** `passive`: the honeypot only listened; `responsive`: it answered the scanner. */
export type CollectionMode = 'passive' | 'responsive'

/** One SIP event to record: what a bad actor sent, from where, to which number. */
export interface SipEventInput {
  /** Milliseconds since the epoch (UTC). */
  eventTime: number
  /** Unique id of the event; the same id is never stored twice. */
  eventUuid: string
  sourceIp: string
  sourcePort: number
  destinationIp: string
  destinationPort: number
  transport: Transport
  method: string
  calledNumberRaw: string
  calledNumberNormalized: string
  userAgent?: string
  callId?: string
  /** The SIP message as text; stored up to `rawMessageMaxBytes` UTF-8 bytes. */
  rawMessage?: string
  collectionMode: CollectionMode
  /** The node that saw the packet. */
  collectorNodeId: string
  /** `'local'` for events this node collected, otherwise the id of the peer the event came from. */
  origin: string
  /**
   * The signed peer-to-peer record of this event, kept byte for byte so it can be served to peers.
   * Stored even when the event itself is already stored (a local event signed after it was recorded).
   */
  signed?: SignedRecordInput
}

/** A signed record as the P2P layer hands it to the store (see `@sentrypeer/share`). */
export interface SignedRecordInput {
  /** Record id (hex), unique. */
  id: string
  /** Peer id of the node that collected and signed it. */
  collector: string
  /** The signed envelope. */
  bytes: Uint8Array
}

/** A stored signed record; `ip` (normalised) is its key and `collectedAt` the event time. */
export interface StoredSignedRecord {
  id: string
  eventUuid: string
  ip: string
  collector: string
  collectedAt: number
  bytes: Uint8Array
}

/** A stored event as the queries return it. IPs are in normalised form. */
export interface StoredEvent extends SipEventInput {
  /** When the event row is deleted (ms epoch). */
  expiresAt: number
}

/** Options of {@link openStore}. Every limit defaults to the constant of the same name. */
export interface StoreInit {
  /** SQLite file; created with its directory's permissions if missing. `':memory:'` works for tests. */
  path: string
  /** Retention in ms (default 7 days, `DEFAULT_MAX_AGE_MS`). */
  maxAgeMs?: number
  /** Events per write transaction (default `DEFAULT_BATCH_SIZE` = 2 048). */
  batchSize?: number
  /** Longest time an event waits in the queue (default `DEFAULT_FLUSH_INTERVAL_MS` = 5 ms). */
  flushIntervalMs?: number
  /** Longest run of timer-driven writes before yielding to the event loop (default 10 ms). */
  flushSliceMs?: number
  /** Bound of the in-memory queue (default `DEFAULT_MAX_QUEUE` = 100 000). */
  maxQueue?: number
  /** Stored bytes of the raw message (default `DEFAULT_RAW_MESSAGE_MAX_BYTES` = 65 536). */
  rawMessageMaxBytes?: number
  /** Period of the background prune (default `DEFAULT_PRUNE_INTERVAL_MS` = 60 s; 0 disables the timer). */
  pruneIntervalMs?: number
  /** Rows deleted per prune transaction (default `DEFAULT_PRUNE_CHUNK`). */
  pruneChunk?: number
  /** Longest run of background prune transactions before yielding to the event loop (default 20 ms). */
  pruneSliceMs?: number
  /** SQLite page size of a new database (default `DEFAULT_PAGE_SIZE` = 4096; ignored once created). */
  pageSize?: number
  /** SQLite page cache in KiB (default `DEFAULT_CACHE_SIZE_KIB` = 64 MiB). */
  cacheSizeKiB?: number
  /** WAL pages between automatic checkpoints (default `DEFAULT_WAL_AUTOCHECKPOINT_PAGES` = 10 000). */
  walAutocheckpointPages?: number
  /** SQLite busy timeout in ms (default `DEFAULT_BUSY_TIMEOUT_MS`). */
  busyTimeoutMs?: number
  /** Retries of a batch whose transaction failed before it is counted as lost (default 3). */
  maxFlushRetries?: number
  /** Accepted clock skew for event times in the future (default 5 minutes). */
  maxFutureSkewMs?: number
  /**
   * An IP reported only by peers counts as bad for `isBadIp` once this many distinct collectors reported
   * it; an IP seen locally always counts (default 1).
   */
  minCollectors?: number
  /** Maps a number given to `isBadNumber`/`getNumber` to the stored normalised form (default: strips
   * RFC 3966 visual separators). The exact text is always tried first. */
  normalizeNumber?: (number: string) => string
  /** Called on write errors (the batch is retried, then counted as lost) and on prune errors. */
  onError?: (error: Error) => void
  /** Clock, for tests of retention (default `Date.now`). */
  now?: () => number
}

/** Counters of the store since it was opened. */
export interface StoreStats {
  /** Events waiting to be written. */
  queueDepth: number
  /** Events accepted by `record()`. */
  accepted: number
  /** Events refused by `record()` because the queue was full. */
  dropped: number
  /** Events refused by `record()` because they failed validation. */
  rejected: number
  /** Events written (new rows). */
  inserted: number
  /** Events ignored because their `eventUuid` was already stored. */
  duplicates: number
  /** Events whose text fields were truncated to the limits. */
  truncated: number
  /** Write transactions committed. */
  flushes: number
  /** Write transactions that failed. */
  flushErrors: number
  /** Events given up after `maxFlushRetries` failed writes. */
  lost: number
  /** Duration of the last committed write transaction (ms) and its size (events). */
  lastFlushMs: number
  lastFlushSize: number
  /** Rows deleted by pruning (events), and when pruning last ran (ms epoch, 0 if never). */
  pruned: number
  lastPruneAt: number
}

/** Result of an input check: the value or an {@link InputError}. */
export type Result<T, C extends string> = { ok: true; value: T } | { ok: false; error: InputError<C> }

/** An event that passed validation: normalised IPs and bounded strings. */
export interface ValidEvent extends SipEventInput {
  sourceFamily: 4 | 6
  destinationFamily: 4 | 6
  expiresAt: number
  /** True if a text field was cut to its limit. */
  truncated: boolean
}
export type EventResult = Result<ValidEvent, EventErrorCode>
export type QueryResult<T> = Result<T, QueryErrorCode>

/** One page of a list and the opaque cursor of the next page (absent on the last page). */
export interface Page<T> {
  items: T[]
  nextCursor?: string
}

/** `local`: seen by this node; `remote`: reported by peers. */
export type OriginFilter = 'local' | 'remote'

/** Paging and the time filter shared by the lists. */
export interface ListQuery {
  /** Page size, 1..10 000 (default 100). */
  limit?: number
  /** `nextCursor` of the previous page. */
  cursor?: string
  /** Only entries seen at or after this time (ms epoch). */
  since?: number
}

/** Filters of {@link Store.listIps} and {@link Store.iterateIps}. */
export interface IpQuery extends ListQuery {
  family?: 4 | 6
  origin?: OriginFilter
  /** Only IPs reported by this collector node. */
  collector?: string
  /** Only confirmed IPs: seen locally, or reported by at least this many distinct collectors. */
  minCollectors?: number
}

/** Summary of one IP, kept up to date on every write (no GROUP BY over events). */
export interface IpSummary {
  ip: string
  family: 4 | 6
  firstSeen: number
  lastSeen: number
  seenCount: number
  /** When this IP leaves the blocklist unless seen again (ms epoch); renewed on every sighting. */
  expiresAt: number
  /** Distinct collector nodes that reported this IP (including this node). */
  collectors: number
  /** Events with origin `local`, and from peers. */
  localCount: number
  remoteCount: number
}

export interface IpDetail extends IpSummary {
  /** Most recent events from this IP, newest first. */
  recentEvents: StoredEvent[]
  /** Collector node ids that reported this IP. */
  collectorIds: string[]
}

/** Options of {@link Store.getIp} and {@link Store.getNumber}. */
export interface DetailOptions {
  /**
   * Include each recent event's `rawMessage` (default true). Pass false when the raw SIP message is not
   * shown (the HTTP API's details): the column is not read at all.
   */
  rawMessage?: boolean
  /** `getIp` only: look up the collector node ids (default true); false leaves `collectorIds` empty. */
  collectorIds?: boolean
}

export interface NumberQuery extends ListQuery {
  origin?: OriginFilter
}

export interface NumberSummary {
  /** The normalised called number. */
  number: string
  firstSeen: number
  lastSeen: number
  seenCount: number
  expiresAt: number
  localCount: number
  remoteCount: number
}

export interface NumberDetail extends NumberSummary {
  recentEvents: StoredEvent[]
}

/** A User-Agent or a method with its counts. */
export interface ValueSummary {
  value: string
  firstSeen: number
  lastSeen: number
  seenCount: number
}

export interface BucketQuery {
  /** Bucket width in ms (at least 1). */
  bucketMs: number
  /** Range start (inclusive, default: `until - maxAge`) and end (exclusive, default: now). */
  since?: number
  until?: number
  family?: 4 | 6
  origin?: OriginFilter
}

export interface Bucket {
  /** Start of the bucket (ms epoch, a multiple of `bucketMs`). */
  start: number
  count: number
}

/** Catch-up query: events collected by one node since a time, oldest first. */
export interface EventsSinceQuery {
  since: number
  /** Only events collected by this node id (for P2P catch-up: this node's own id). */
  collector?: string
  limit?: number
  cursor?: string
}

/**
 * The bad-actor store. Writes are queued and batched; queries and the embedding look-ups are
 * synchronous SQLite reads.
 */
export interface Store {
  /** The retention in ms this store was opened with. */
  readonly maxAgeMs: number
  /**
   * Events `record()` holds before it refuses more (`stats().queueDepth` is how many it holds now). A
   * producer that can wait (a bulk import, a P2P catch-up) keeps below it and awaits `flush()` instead
   * of having events refused.
   */
  readonly maxQueue: number
  /**
   * Queues one event without touching the disk. Returns false if the event is invalid (counted in
   * `rejected`) or the queue is full (counted in `dropped`).
   */
  record(event: SipEventInput): boolean
  /** Writes everything queued. */
  flush(): Promise<void>
  /** Flushes, stops the timers and closes the database. Idempotent. */
  close(): Promise<void>
  /**
   * Deletes expired rows now, to completion (the background prune does the same in slices that yield to
   * the event loop); returns the number of events deleted.
   */
  prune(now?: number): number

  listIps(query?: IpQuery): QueryResult<Page<IpSummary>>
  /**
   * Every IP summary matching the filters (newest first; `cursor` and `limit` ignored), fetched in
   * chunks so that no statement stays open between two `next()` calls: safe to consume slowly while the
   * store keeps writing.
   */
  iterateIps(query?: IpQuery): QueryResult<Generator<IpSummary, void, undefined>>
  /**
   * The IP's summary (any IP form; undefined if unknown or expired) with its `recentEvents` most recent
   * events (default `DEFAULT_RECENT_EVENTS`, at most `MAX_PAGE_LIMIT`) and its collectors. With
   * `{ rawMessage: false, collectorIds: false }` it is two index reads (what the HTTP API asks for).
   *
   * @example
   * ```ts
   * const detail = store.getIp('203.0.113.7', 20, { rawMessage: false })
   * detail?.recentEvents[0]?.method // 'INVITE'
   * ```
   */
  getIp(ip: string, recentEvents?: number, options?: DetailOptions): IpDetail | undefined
  listNumbers(query?: NumberQuery): QueryResult<Page<NumberSummary>>
  /** The number's summary (raw or normalised form) with its most recent events, as {@link Store.getIp}. */
  getNumber(number: string, recentEvents?: number, options?: DetailOptions): NumberDetail | undefined
  listUserAgents(query?: ListQuery): QueryResult<Page<ValueSummary>>
  listMethods(query?: ListQuery): QueryResult<Page<ValueSummary>>
  countsPerBucket(query: BucketQuery): QueryResult<Bucket[]>
  eventsSince(query: EventsSinceQuery): QueryResult<Page<StoredEvent>>
  /** Distinct collector nodes that reported this IP (0 if unknown or expired). */
  distinctCollectors(ip: string): number
  /**
   * Signed records collected in `[since, until)` (not expired), oldest first, read in chunks so that no
   * statement stays open between two `next()` calls.
   */
  signedRecordsSince(since: number, until?: number): Generator<StoredSignedRecord, void, undefined>
  /** Signed records whose key is this IP (any form), newest first, at most `limit` (default 100). */
  signedRecordsByIp(ip: string, limit?: number): StoredSignedRecord[]
  /** Whether a signed record with this id is stored. */
  hasSignedRecord(id: string): boolean
  /** Number of signed records stored (not expired). */
  signedRecordCount(): number

  /** Whether the IP is a current bad actor (see `minCollectors`). Any IP form; synchronous. */
  isBadIp(ip: string): boolean
  /** Whether anyone tried to call this number (raw or normalised); synchronous. */
  isBadNumber(number: string): boolean
  /** The IP's summary if it is known and not expired; synchronous. */
  lookupIp(ip: string): IpSummary | undefined

  stats(): StoreStats
}
