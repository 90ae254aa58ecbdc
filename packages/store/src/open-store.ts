import { mkdirSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { SelectQueryBuilder } from 'kysely'
import {
  COUNT_MINUTE_MS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CACHE_SIZE_KIB,
  DEFAULT_FLUSH_INTERVAL_MS,
  DEFAULT_FLUSH_SLICE_MS,
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_FLUSH_RETRIES,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_MAX_QUEUE,
  DEFAULT_PAGE_LIMIT,
  DEFAULT_PAGE_SIZE,
  DEFAULT_PRUNE_CHUNK,
  DEFAULT_PRUNE_INTERVAL_MS,
  DEFAULT_PRUNE_SLICE_MS,
  DEFAULT_RAW_MESSAGE_MAX_BYTES,
  DEFAULT_RECENT_EVENTS,
  DEFAULT_SIGNED_RECORDS_BY_IP,
  DEFAULT_WAL_AUTOCHECKPOINT_PAGES,
  FLUSH_RETRY_DELAY_MS,
  ITERATE_CHUNK,
  MAX_BUCKETS,
  MAX_NODE_ID_LENGTH,
  MAX_PAGE_LIMIT,
} from './constants.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { InvalidOptionError, type QueryErrorCode, StoreClosedError } from './errors.js'
import { runMigrations } from './migrations.js'
import { normalizeIp } from './normalize-ip.js'
import { normalizeNumber as defaultNormalizeNumber } from './normalize-number.js'
import { queryBuilder, type StoreDatabase } from './query-builder.js'
import type {
  Bucket,
  BucketQuery,
  DetailOptions,
  EventsSinceQuery,
  IpDetail,
  IpQuery,
  IpSummary,
  ListQuery,
  NumberDetail,
  NumberQuery,
  NumberSummary,
  Page,
  QueryResult,
  SipEventInput,
  Store,
  StoredEvent,
  StoredSignedRecord,
  StoreInit,
  StoreStats,
  ValidEvent,
  ValueSummary,
} from './store.js'
import { validateEvent } from './validate-event.js'

/**
 * Opens (creating if needed) the store at `init.path`: WAL mode, forward-only migrations, one prune of
 * expired rows, then the background prune timer. Writes go through a bounded in-memory queue flushed in
 * batches (`batchSize` events, or every `flushIntervalMs`), so `record()` never waits on the disk.
 *
 * @example
 * ```ts
 * import { openStore } from '@sentrypeer/store'
 *
 * const store = openStore({ path: 'sentrypeer.db' })
 * store.record({ eventTime: Date.now(), eventUuid: crypto.randomUUID(), sourceIp: '203.0.113.7',
 *   sourcePort: 5060, destinationIp: '192.0.2.1', destinationPort: 5060, transport: 'udp',
 *   method: 'INVITE', calledNumberRaw: '+44 20 7946 0000', calledNumberNormalized: '+442079460000',
 *   collectionMode: 'passive', collectorNodeId: 'node-1', origin: 'local' })
 * await store.flush()
 * store.isBadIp('::ffff:203.0.113.7') // true
 * await store.close()
 * ```
 */
export function openStore(init: StoreInit): Store {
  return new SqliteStore(init)
}

interface Aggregate {
  first: number
  last: number
  count: number
  expires: number
  local: number
  remote: number
}

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InvalidOptionError(`${name} must be an integer >= ${min}, got ${String(value)}`)
  }
  return value
}

/**
 * The `ON CONFLICT ... DO UPDATE SET` list of a summary upsert: first_seen and the `counters` start over
 * when the stored row has expired but is not pruned yet, and otherwise take the minimum and the sum;
 * last_seen and expires_at take the maximum.
 */
function summaryUpdate(counters: readonly string[]): string {
  const restartOr = (column: string, otherwise: string) =>
    `${column} = CASE WHEN expires_at <= @now THEN excluded.${column}
            ELSE ${otherwise} END`
  return [
    restartOr('first_seen', 'min(first_seen, excluded.first_seen)'),
    ...counters.map((column) => restartOr(column, `${column} + excluded.${column}`)),
    'last_seen = max(last_seen, excluded.last_seen)',
    'expires_at = max(expires_at, excluded.expires_at)',
  ].join(',\n          ')
}

/** SQLite refused this row (constraint, trigger, type or size), as opposed to the whole transaction. */
function isRowError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH')
  )
}

function queryError<T>(code: QueryErrorCode, field: string, message: string): QueryResult<T> {
  return { ok: false, error: { code, field, offset: 0, message } }
}

// The filter checks shared by the queries: each returns the error, or undefined if the filter is absent
// or valid.

function sinceError(since: unknown): QueryResult<never> | undefined {
  if (since === undefined || (typeof since === 'number' && Number.isFinite(since))) return undefined
  return queryError('INVALID_FILTER', 'since', 'since must be a time in ms')
}

function familyError(family: unknown): QueryResult<never> | undefined {
  if (family === undefined || family === 4 || family === 6) return undefined
  return queryError('INVALID_FILTER', 'family', 'family must be 4 or 6')
}

function originError(origin: unknown): QueryResult<never> | undefined {
  if (origin === undefined || origin === 'local' || origin === 'remote') return undefined
  return queryError('INVALID_FILTER', 'origin', "origin must be 'local' or 'remote'")
}

function collectorError(collector: unknown): QueryResult<never> | undefined {
  if (collector === undefined || (typeof collector === 'string' && collector.length <= MAX_NODE_ID_LENGTH)) {
    return undefined
  }
  return queryError('INVALID_FILTER', 'collector', 'collector must be a node id')
}

/** Adds the event to the key's aggregate (creating it) and returns the aggregate. */
function aggregate<A extends Aggregate>(
  map: Map<string, A>,
  key: string,
  event: ValidEvent,
  local: boolean,
): A {
  const entry = map.get(key)
  if (entry === undefined) {
    const created = {
      first: event.eventTime,
      last: event.eventTime,
      count: 1,
      expires: event.expiresAt,
      local: local ? 1 : 0,
      remote: local ? 0 : 1,
    } as A
    map.set(key, created)
    return created
  }
  if (event.eventTime < entry.first) entry.first = event.eventTime
  if (event.eventTime > entry.last) entry.last = event.eventTime
  if (event.expiresAt > entry.expires) entry.expires = event.expiresAt
  entry.count++
  if (local) entry.local++
  else entry.remote++
  return entry
}

interface EventRow {
  id: number
  eventTime: number
  eventUuid: string
  sourceIp: string
  sourcePort: number
  destinationIp: string
  destinationPort: number
  transport: StoredEvent['transport']
  method: string
  calledNumberRaw: string
  calledNumberNormalized: string
  userAgent: string | null
  callId: string | null
  rawMessage: string | null
  collectionMode: StoredEvent['collectionMode']
  collectorNodeId: string
  origin: string
  expiresAt: number
}

/**
 * The columns of a recent-events list, in the order {@link toRecentEvent} reads them (statements in
 * raw mode: one array per row, no object keyed by column names). The list's key column (`source_ip` of
 * an IP, `called_number` of a number) is selected as NULL and filled in from the key: one string fewer
 * to copy out of SQLite per row. `raw_message` last so the list without it is the same minus one column.
 */
function recentColumns(key: 'source_ip' | 'called_number', raw: boolean): string {
  const sourceIp = key === 'source_ip' ? 'NULL' : 'source_ip'
  const number = key === 'called_number' ? 'NULL' : 'called_number'
  return `event_time, event_uuid, ${sourceIp}, source_port, destination_ip, destination_port, transport,
    method, called_number_raw, ${number}, user_agent, call_id, collection_mode, collector_node_id, origin,
    expires_at${raw ? ', raw_message' : ''}`
}

type RecentRow = [
  number,
  string,
  string | null,
  number,
  string,
  number,
  StoredEvent['transport'],
  string,
  string,
  string | null,
  string | null,
  string | null,
  StoredEvent['collectionMode'],
  string,
  string,
  number,
  (string | null)?,
]

/** One row of a recent-events list; `key` is the list's IP or number (the column selected as NULL). */
function toRecentEvent(row: RecentRow, key: string): StoredEvent {
  const event: StoredEvent = {
    eventTime: row[0],
    eventUuid: row[1],
    sourceIp: row[2] ?? key,
    sourcePort: row[3],
    destinationIp: row[4],
    destinationPort: row[5],
    transport: row[6],
    method: row[7],
    calledNumberRaw: row[8],
    calledNumberNormalized: row[9] ?? key,
    collectionMode: row[12],
    collectorNodeId: row[13],
    origin: row[14],
    expiresAt: row[15],
  }
  if (row[10] !== null) event.userAgent = row[10]
  if (row[11] !== null) event.callId = row[11]
  const raw = row[16]
  if (raw !== undefined && raw !== null) event.rawMessage = raw
  return event
}

function toRecentEvents(rows: RecentRow[], key: string): StoredEvent[] {
  const events = new Array<StoredEvent>(rows.length)
  for (let i = 0; i < rows.length; i++) events[i] = toRecentEvent(rows[i]!, key)
  return events
}

/**
 * A count asked of `getIp`/`getNumber` (`recentEvents`) or `signedRecordsByIp` (`limit`) clamped to
 * 0..MAX_PAGE_LIMIT (anything not a number: 0).
 */
function clampLimit(limit: number): number {
  return Math.max(0, Math.min(MAX_PAGE_LIMIT, Math.trunc(limit) || 0))
}

function toSignedRecord(row: StoredSignedRecord & { bytes: Buffer }): StoredSignedRecord {
  return {
    id: row.id,
    eventUuid: row.eventUuid,
    ip: row.ip,
    collector: row.collector,
    collectedAt: row.collectedAt,
    bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength),
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  const event: StoredEvent = {
    eventTime: row.eventTime,
    eventUuid: row.eventUuid,
    sourceIp: row.sourceIp,
    sourcePort: row.sourcePort,
    destinationIp: row.destinationIp,
    destinationPort: row.destinationPort,
    transport: row.transport,
    method: row.method,
    calledNumberRaw: row.calledNumberRaw,
    calledNumberNormalized: row.calledNumberNormalized,
    collectionMode: row.collectionMode,
    collectorNodeId: row.collectorNodeId,
    origin: row.origin,
    expiresAt: row.expiresAt,
  }
  if (row.userAgent !== null) event.userAgent = row.userAgent
  if (row.callId !== null) event.callId = row.callId
  if (row.rawMessage !== null) event.rawMessage = row.rawMessage
  return event
}

/** The columns of an {@link IpSummary}: the lists' kysely select and the look-up statement's SQL. */
const IP_COLUMNS = [
  'ip',
  'family',
  'first_seen as firstSeen',
  'last_seen as lastSeen',
  'seen_count as seenCount',
  'expires_at as expiresAt',
  'collectors',
  'local_count as localCount',
  'remote_count as remoteCount',
] as const

/** The columns of a {@link NumberSummary}, used as {@link IP_COLUMNS}. */
const NUMBER_COLUMNS = [
  'number',
  'first_seen as firstSeen',
  'last_seen as lastSeen',
  'seen_count as seenCount',
  'expires_at as expiresAt',
  'local_count as localCount',
  'remote_count as remoteCount',
] as const

class SqliteStore implements Store {
  private readonly db: Database.Database
  readonly maxAgeMs: number
  private readonly batchSize: number
  private readonly flushIntervalMs: number
  readonly maxQueue: number
  private readonly rawMessageMaxBytes: number
  private readonly pruneChunk: number
  private readonly pruneSliceMs: number
  private readonly maxFlushRetries: number
  private readonly flushSliceMs: number
  private readonly maxFutureSkewMs: number
  private readonly minCollectors: number
  private readonly normalizeNumber: (number: string) => string
  private readonly onError: (error: Error) => void
  private readonly now: () => number

  private queue: ValidEvent[] = []
  private readonly attempts = new WeakMap<ValidEvent, number>()
  private flushTimer: NodeJS.Timeout | undefined
  private flushImmediate: NodeJS.Immediate | undefined
  private pruneTimer: NodeJS.Timeout | undefined
  private pruneImmediate: NodeJS.Immediate | undefined
  private pruning: Generator<void, number, undefined> | undefined
  private closed = false
  private readonly statementCache = new Map<string, Database.Statement>()
  private readonly counters: Omit<StoreStats, 'queueDepth'> = {
    accepted: 0,
    dropped: 0,
    rejected: 0,
    inserted: 0,
    duplicates: 0,
    truncated: 0,
    flushes: 0,
    flushErrors: 0,
    lost: 0,
    lastFlushMs: 0,
    lastFlushSize: 0,
    pruned: 0,
    lastPruneAt: 0,
  }

  private readonly insertEvent: Database.Statement
  private readonly upsertIpCollector: Database.Statement
  private readonly upsertIp: Database.Statement
  private readonly upsertNumber: Database.Statement
  private readonly upsertUserAgent: Database.Statement
  private readonly upsertMethod: Database.Statement
  private readonly upsertEventCount: Database.Statement
  private readonly selectIpBad: Database.Statement
  private readonly selectIp: Database.Statement
  private readonly selectNumberExpiry: Database.Statement
  private readonly selectNumber: Database.Statement
  private readonly selectCollectors: Database.Statement
  private readonly selectCollectorIds: Database.Statement
  private readonly selectIpEvents: Database.Statement
  private readonly selectIpEventsNoRaw: Database.Statement
  private readonly selectNumberEvents: Database.Statement
  private readonly selectNumberEventsNoRaw: Database.Statement
  private readonly writeBatchTx: Database.Transaction<
    (events: ValidEvent[], isolate: boolean) => ValidEvent[]
  >
  private readonly writeOne: (event: ValidEvent) => boolean
  private readonly insertSigned: Database.Statement
  private readonly selectSignedByIp: Database.Statement
  private readonly selectSignedExists: Database.Statement
  private readonly selectSignedCount: Database.Statement
  private readonly selectSignedSince: Database.Statement

  constructor(init: StoreInit) {
    if (typeof init?.path !== 'string' || init.path.length === 0) {
      throw new InvalidOptionError('path must be a non-empty string')
    }
    this.maxAgeMs = positiveInteger('maxAgeMs', init.maxAgeMs, DEFAULT_MAX_AGE_MS)
    this.batchSize = positiveInteger('batchSize', init.batchSize, DEFAULT_BATCH_SIZE)
    this.flushIntervalMs = positiveInteger(
      'flushIntervalMs',
      init.flushIntervalMs,
      DEFAULT_FLUSH_INTERVAL_MS,
      0,
    )
    this.maxQueue = positiveInteger('maxQueue', init.maxQueue, DEFAULT_MAX_QUEUE)
    this.rawMessageMaxBytes = positiveInteger(
      'rawMessageMaxBytes',
      init.rawMessageMaxBytes,
      DEFAULT_RAW_MESSAGE_MAX_BYTES,
      0,
    )
    const pruneIntervalMs = positiveInteger(
      'pruneIntervalMs',
      init.pruneIntervalMs,
      DEFAULT_PRUNE_INTERVAL_MS,
      0,
    )
    this.pruneChunk = positiveInteger('pruneChunk', init.pruneChunk, DEFAULT_PRUNE_CHUNK)
    this.pruneSliceMs = positiveInteger('pruneSliceMs', init.pruneSliceMs, DEFAULT_PRUNE_SLICE_MS)
    const cacheSizeKiB = positiveInteger('cacheSizeKiB', init.cacheSizeKiB, DEFAULT_CACHE_SIZE_KIB)
    const walAutocheckpointPages = positiveInteger(
      'walAutocheckpointPages',
      init.walAutocheckpointPages,
      DEFAULT_WAL_AUTOCHECKPOINT_PAGES,
    )
    const pageSize = positiveInteger('pageSize', init.pageSize, DEFAULT_PAGE_SIZE, 512)
    if ((pageSize & (pageSize - 1)) !== 0 || pageSize > 65_536) {
      throw new InvalidOptionError(`pageSize must be a power of two in 512..65536, got ${pageSize}`)
    }
    const busyTimeoutMs = positiveInteger('busyTimeoutMs', init.busyTimeoutMs, DEFAULT_BUSY_TIMEOUT_MS, 0)
    this.flushSliceMs = positiveInteger('flushSliceMs', init.flushSliceMs, DEFAULT_FLUSH_SLICE_MS)
    this.maxFlushRetries = positiveInteger(
      'maxFlushRetries',
      init.maxFlushRetries,
      DEFAULT_MAX_FLUSH_RETRIES,
      0,
    )
    this.maxFutureSkewMs = positiveInteger(
      'maxFutureSkewMs',
      init.maxFutureSkewMs,
      DEFAULT_MAX_FUTURE_SKEW_MS,
      0,
    )
    this.minCollectors = positiveInteger('minCollectors', init.minCollectors, 1)
    this.normalizeNumber = init.normalizeNumber ?? defaultNormalizeNumber
    this.onError = init.onError ?? (() => {})
    this.now = init.now ?? Date.now

    if (init.path !== ':memory:' && !init.path.startsWith('file:')) {
      mkdirSync(path.dirname(path.resolve(init.path)), { recursive: true })
    }
    const db = new Database(init.path, { timeout: busyTimeoutMs })
    this.db = db
    try {
      // Only takes effect on a new, empty database (before WAL mode is set).
      db.pragma(`page_size = ${pageSize}`)
      db.pragma('journal_mode = WAL')
      // WAL + NORMAL: a committed transaction survives a process crash; only an OS crash or power loss
      // can roll back the last commits (https://www.sqlite.org/pragma.html#pragma_synchronous).
      db.pragma('synchronous = NORMAL')
      db.pragma(`cache_size = ${-cacheSizeKiB}`)
      db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`)
      db.pragma('temp_store = MEMORY')
      runMigrations(db)

      this.insertEvent = db.prepare(`INSERT INTO events (event_time, event_uuid, source_ip, source_port,
        source_family, destination_ip, destination_port, transport, method, called_number_raw, called_number,
        user_agent, call_id, raw_message, collection_mode, collector_node_id, origin, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (event_uuid) DO NOTHING`)
      // A row that expired but is not pruned yet starts over instead of being extended.
      this.upsertIpCollector = db.prepare(`INSERT INTO ip_collectors
        (ip, collector_node_id, first_seen, last_seen, seen_count, expires_at)
        VALUES (@ip, @collector, @first, @last, @count, @expires)
        ON CONFLICT (ip, collector_node_id) DO UPDATE SET
          ${summaryUpdate(['seen_count'])}`)
      this.upsertIp = db.prepare(`INSERT INTO ips
        (ip, family, first_seen, last_seen, seen_count, expires_at, collectors, local_count, remote_count)
        VALUES (@ip, @family, @first, @last, @count, @expires,
          (SELECT count(*) FROM ip_collectors WHERE ip = @ip AND expires_at > @now), @local, @remote)
        ON CONFLICT (ip) DO UPDATE SET
          ${summaryUpdate(['seen_count', 'local_count', 'remote_count'])},
          collectors = excluded.collectors`)
      this.upsertNumber = db.prepare(`INSERT INTO numbers
        (number, first_seen, last_seen, seen_count, expires_at, local_count, remote_count)
        VALUES (@key, @first, @last, @count, @expires, @local, @remote)
        ON CONFLICT (number) DO UPDATE SET
          ${summaryUpdate(['seen_count', 'local_count', 'remote_count'])}`)
      const upsertValue = (table: 'user_agents' | 'methods') =>
        db.prepare(`INSERT INTO ${table} (value, first_seen, last_seen, seen_count, expires_at)
        VALUES (@key, @first, @last, @count, @expires)
        ON CONFLICT (value) DO UPDATE SET
          ${summaryUpdate(['seen_count'])}`)
      this.upsertEventCount = db.prepare(`INSERT INTO event_counts (minute, family, local, count, expires_at)
        VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (minute, family, local) DO UPDATE SET
          count = count + excluded.count, expires_at = max(expires_at, excluded.expires_at)`)
      this.upsertUserAgent = upsertValue('user_agents')
      this.upsertMethod = upsertValue('methods')

      this.selectIpBad = db
        .prepare('SELECT expires_at, local_count, collectors FROM ips WHERE ip = ?')
        .raw(true)
      this.selectIp = db.prepare(`SELECT ${IP_COLUMNS.join(', ')} FROM ips WHERE ip = ?`)
      this.selectNumberExpiry = db.prepare('SELECT expires_at FROM numbers WHERE number = ?').pluck(true)
      this.selectNumber = db.prepare(`SELECT ${NUMBER_COLUMNS.join(', ')} FROM numbers WHERE number = ?`)
      this.selectCollectors = db
        .prepare('SELECT count(*) FROM ip_collectors WHERE ip = ? AND expires_at > ?')
        .pluck(true)
      this.selectCollectorIds = db
        .prepare(
          'SELECT collector_node_id FROM ip_collectors WHERE ip = ? AND expires_at > ? ORDER BY collector_node_id',
        )
        .pluck(true)
      // Recent events of one IP or number: a backward range scan of the (key, event_time, id) index,
      // rows as arrays, the raw message only when asked for (without it an IP's list reads only the
      // covering index of migration 4).
      const recent = (key: 'source_ip' | 'called_number', raw: boolean): Database.Statement =>
        db
          .prepare(`SELECT ${recentColumns(key, raw)} FROM events
            WHERE ${key} = ? AND expires_at > ? ORDER BY event_time DESC, id DESC LIMIT ?`)
          .raw(true)
      this.selectIpEvents = recent('source_ip', true)
      this.selectIpEventsNoRaw = recent('source_ip', false)
      this.selectNumberEvents = recent('called_number', true)
      this.selectNumberEventsNoRaw = recent('called_number', false)

      this.insertSigned = db.prepare(`INSERT INTO signed_records
        (id, event_uuid, ip, collector, collected_at, bytes, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO NOTHING`)
      const SIGNED_COLUMNS = `id, event_uuid AS eventUuid, ip, collector, collected_at AS collectedAt, bytes`
      this.selectSignedByIp = db.prepare(`SELECT ${SIGNED_COLUMNS} FROM signed_records
        WHERE ip = ? AND expires_at > ? ORDER BY collected_at DESC LIMIT ?`)
      this.selectSignedExists = db
        .prepare('SELECT 1 FROM signed_records WHERE id = ? AND expires_at > ?')
        .pluck(true)
      this.selectSignedCount = db
        .prepare('SELECT count(*) FROM signed_records WHERE expires_at > ?')
        .pluck(true)
      this.selectSignedSince = db.prepare(`SELECT ${SIGNED_COLUMNS} FROM signed_records
        WHERE (collected_at, id) > (?, ?) AND collected_at < ? AND expires_at > ?
        ORDER BY collected_at, id LIMIT ?`)
      const insertEvent = (event: ValidEvent): boolean =>
        this.insertEvent.run(
          event.eventTime,
          event.eventUuid,
          event.sourceIp,
          event.sourcePort,
          event.sourceFamily,
          event.destinationIp,
          event.destinationPort,
          event.transport,
          event.method,
          event.calledNumberRaw,
          event.calledNumberNormalized,
          event.userAgent ?? null,
          event.callId ?? null,
          event.rawMessage ?? null,
          event.collectionMode,
          event.collectorNodeId,
          event.origin,
          event.expiresAt,
        ).changes === 1
      this.writeOne = (event: ValidEvent): boolean => {
        const isNew = insertEvent(event)
        const signed = event.signed
        if (signed !== undefined) {
          this.insertSigned.run(
            signed.id,
            event.eventUuid,
            event.sourceIp,
            signed.collector,
            event.eventTime,
            Buffer.from(signed.bytes.buffer, signed.bytes.byteOffset, signed.bytes.byteLength),
            event.expiresAt,
          )
        }
        return isNew
      }
      const writeOneIsolated = db.transaction(this.writeOne)
      this.writeBatchTx = db.transaction((events: ValidEvent[], isolate: boolean): ValidEvent[] =>
        this.writeEvents(events, isolate ? writeOneIsolated : this.writeOne),
      )
    } catch (error) {
      db.close()
      throw error
    }
    // Prune on start, in the background: expired rows are already invisible to every query.
    this.backgroundPrune()
    if (pruneIntervalMs > 0) {
      this.pruneTimer = setInterval(() => {
        if (this.pruning === undefined) this.backgroundPrune()
      }, pruneIntervalMs)
      this.pruneTimer.unref()
    }
  }

  // ---- writes ---------------------------------------------------------------------------------------

  record(event: SipEventInput): boolean {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.counters.dropped++
      return false
    }
    const result = validateEvent(event, {
      now: this.now(),
      maxAgeMs: this.maxAgeMs,
      maxFutureSkewMs: this.maxFutureSkewMs,
      rawMessageMaxBytes: this.rawMessageMaxBytes,
    })
    if (!result.ok) {
      this.counters.rejected++
      return false
    }
    if (result.value.truncated) this.counters.truncated++
    this.queue.push(result.value)
    this.counters.accepted++
    if (this.queue.length >= this.batchSize) {
      this.scheduleImmediateFlush()
    } else if (this.flushTimer === undefined) {
      this.scheduleFlush(this.flushIntervalMs)
    }
    return true
  }

  private scheduleFlush(delay: number): void {
    if (this.flushTimer !== undefined || this.closed) return
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined
      this.flushQueue(false)
    }, delay)
    this.flushTimer.unref()
  }

  /**
   * Writes the queue in transactions of `batchSize` events. Never throws. From the timers it writes for
   * at most `flushSliceMs` and continues on the next event-loop turn, so a deep queue never stalls the
   * packet path; `flush()` and `close()` drain everything. A failed batch stops the run: it and the rest
   * wait for the retry timer.
   */
  private flushQueue(drainAll: boolean): void {
    if (this.flushTimer !== undefined) {
      clearTimeout(this.flushTimer)
      this.flushTimer = undefined
    }
    if (this.flushImmediate !== undefined) {
      clearImmediate(this.flushImmediate)
      this.flushImmediate = undefined
    }
    const pending = this.queue
    this.queue = []
    const started = performance.now()
    const retry: ValidEvent[] = []
    let offset = 0
    while (offset < pending.length) {
      const batch = pending.slice(offset, offset + this.batchSize)
      offset += batch.length
      if (!this.writeBatch(batch)) {
        for (const event of batch) {
          const attempts = (this.attempts.get(event) ?? 0) + 1
          if (attempts > this.maxFlushRetries) {
            this.counters.lost++
          } else {
            this.attempts.set(event, attempts)
            retry.push(event)
          }
        }
        break
      }
      if (!drainAll && performance.now() - started >= this.flushSliceMs) break
    }
    const rest = offset < pending.length ? pending.slice(offset) : []
    if (retry.length === 0 && rest.length === 0) return
    this.queue = this.queue.length === 0 ? retry.concat(rest) : retry.concat(rest, this.queue)
    if (retry.length > 0) {
      this.scheduleFlush(Math.max(this.flushIntervalMs, FLUSH_RETRY_DELAY_MS))
    } else {
      this.scheduleImmediateFlush()
    }
  }

  private scheduleImmediateFlush(): void {
    if (this.flushImmediate !== undefined || this.closed) return
    this.flushImmediate = setImmediate(() => {
      this.flushImmediate = undefined
      this.flushQueue(false)
    })
    this.flushImmediate.unref()
  }

  /**
   * One batch in one transaction. If the transaction fails, it is tried once more with each event in its
   * own savepoint so one bad row cannot block the others; returns false if the transaction itself fails.
   */
  private writeBatch(batch: ValidEvent[]): boolean {
    const started = performance.now()
    let failed: ValidEvent[]
    try {
      failed = this.writeBatchTx.immediate(batch, false)
    } catch (error) {
      this.counters.flushErrors++
      this.report(error)
      try {
        failed = this.writeBatchTx.immediate(batch, true)
      } catch (retryError) {
        this.counters.flushErrors++
        this.report(retryError)
        return false
      }
    }
    this.counters.lost += failed.length
    this.counters.flushes++
    this.counters.lastFlushMs = performance.now() - started
    this.counters.lastFlushSize = batch.length
    return true
  }

  private report(error: unknown): void {
    try {
      this.onError(error instanceof Error ? error : new Error(String(error)))
    } catch {
      // The callback's own failure must not break the write path.
    }
  }

  /** Inside a transaction: inserts the events and updates the summaries. Returns the events that failed. */
  private writeEvents(events: ValidEvent[], write: (event: ValidEvent) => boolean): ValidEvent[] {
    const ips = new Map<string, Aggregate & { family: 4 | 6 }>()
    const collectors = new Map<string, Aggregate & { ip: string; collector: string }>()
    const numbers = new Map<string, Aggregate>()
    const userAgents = new Map<string, Aggregate>()
    const methods = new Map<string, Aggregate>()
    const minuteCounts = new Map<string, [number, number, number, number, number]>()
    const failed: ValidEvent[] = []
    let inserted = 0
    let duplicates = 0
    for (const event of events) {
      let isNew: boolean
      try {
        isNew = write(event)
      } catch (error) {
        // Only a row-level refusal is isolated; a lock, I/O or full-disk error fails the transaction.
        if (write === this.writeOne || !isRowError(error)) throw error
        failed.push(event)
        this.report(error)
        continue
      }
      if (!isNew) {
        // A signed record for an event already stored (a local event signed after it was recorded) is
        // not a duplicate.
        if (event.signed === undefined) duplicates++
        continue
      }
      inserted++
      const local = event.origin === 'local'
      aggregate(ips, event.sourceIp, event, local).family = event.sourceFamily
      const collectorKey = `${event.sourceIp}\u0000${event.collectorNodeId}`
      const collectorEntry = aggregate(collectors, collectorKey, event, local)
      collectorEntry.ip = event.sourceIp
      collectorEntry.collector = event.collectorNodeId
      if (event.calledNumberNormalized !== '') aggregate(numbers, event.calledNumberNormalized, event, local)
      if (event.userAgent !== undefined && event.userAgent !== '') {
        aggregate(userAgents, event.userAgent, event, local)
      }
      aggregate(methods, event.method, event, local)
      const minute = event.eventTime - (event.eventTime % COUNT_MINUTE_MS)
      const countKey = `${minute}|${event.sourceFamily}|${local ? 1 : 0}`
      const count = minuteCounts.get(countKey)
      if (count === undefined) {
        minuteCounts.set(countKey, [minute, event.sourceFamily, local ? 1 : 0, 1, event.expiresAt])
      } else {
        count[3]++
        if (event.expiresAt > count[4]) count[4] = event.expiresAt
      }
    }
    const now = this.now()
    for (const entry of collectors.values()) {
      this.upsertIpCollector.run({
        ip: entry.ip,
        collector: entry.collector,
        first: entry.first,
        last: entry.last,
        count: entry.count,
        expires: entry.expires,
        now,
      })
    }
    for (const [ip, entry] of ips) {
      this.upsertIp.run({
        ip,
        family: entry.family,
        first: entry.first,
        last: entry.last,
        count: entry.count,
        expires: entry.expires,
        local: entry.local,
        remote: entry.remote,
        now,
      })
    }
    const upsertAll = (statement: Database.Statement, map: Map<string, Aggregate>, withOrigin: boolean) => {
      for (const [key, entry] of map) {
        const params: Record<string, string | number> = {
          key,
          first: entry.first,
          last: entry.last,
          count: entry.count,
          expires: entry.expires,
          now,
        }
        if (withOrigin) {
          params.local = entry.local
          params.remote = entry.remote
        }
        statement.run(params)
      }
    }
    upsertAll(this.upsertNumber, numbers, true)
    upsertAll(this.upsertUserAgent, userAgents, false)
    upsertAll(this.upsertMethod, methods, false)
    for (const row of minuteCounts.values()) this.upsertEventCount.run(...row)
    // Counted after the statements ran; a rollback throws before these lines.
    this.counters.inserted += inserted
    this.counters.duplicates += duplicates
    return failed
  }

  flush(): Promise<void> {
    if (!this.closed) this.flushQueue(true)
    return Promise.resolve()
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.flushQueue(true)
    if (this.queue.length > 0) {
      // One last attempt; whatever still fails is lost and counted.
      const remaining = this.queue
      this.queue = []
      for (let start = 0; start < remaining.length; start += this.batchSize) {
        const batch = remaining.slice(start, start + this.batchSize)
        if (!this.writeBatch(batch)) this.counters.lost += batch.length
      }
    }
    this.closed = true
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer)
    if (this.flushImmediate !== undefined) clearImmediate(this.flushImmediate)
    if (this.pruneImmediate !== undefined) clearImmediate(this.pruneImmediate)
    this.pruning = undefined
    if (this.pruneTimer !== undefined) clearInterval(this.pruneTimer)
    this.flushTimer = undefined
    this.pruneTimer = undefined
    try {
      this.db.pragma('optimize')
    } catch {
      // Best effort.
    }
    this.db.close()
    return Promise.resolve()
  }

  // ---- retention ------------------------------------------------------------------------------------

  prune(now: number = this.now()): number {
    this.assertOpen()
    const steps = this.pruneSteps(now)
    for (;;) {
      const step = steps.next()
      if (step.done === true) return step.value
    }
  }

  /**
   * Deletes expired rows one chunk (one transaction) per step, so the background prune can yield to the
   * event loop between chunks. Returns the number of events deleted.
   */
  private *pruneSteps(now: number): Generator<void, number, undefined> {
    const db = this.db
    const chunk = this.pruneChunk
    function* repeat(sql: string): Generator<void, number, undefined> {
      const statement = db.prepare(sql)
      let total = 0
      for (;;) {
        const changes = statement.run(now, chunk).changes
        total += changes
        if (changes < chunk) return total
        yield
      }
    }
    let events = 0
    const deleteEvents = db.prepare(
      'DELETE FROM events WHERE id IN (SELECT id FROM events WHERE expires_at <= ? LIMIT ?)',
    )
    for (;;) {
      const changes = deleteEvents.run(now, chunk).changes
      events += changes
      this.counters.pruned += changes
      if (changes < chunk) break
      yield
    }
    // Collector rows first: the IPs that keep living need their collector count recomputed.
    const touched = new Set<string>()
    const deleteCollectors = db
      .prepare(`DELETE FROM ip_collectors WHERE (ip, collector_node_id) IN
        (SELECT ip, collector_node_id FROM ip_collectors WHERE expires_at <= ? LIMIT ?) RETURNING ip`)
      .pluck(true)
    const deleteCollectorChunk = db.transaction(() => deleteCollectors.all(now, chunk) as string[])
    for (;;) {
      const ips = deleteCollectorChunk()
      for (const ip of ips) touched.add(ip)
      if (ips.length < chunk) break
      yield
    }
    yield* repeat('DELETE FROM ips WHERE ip IN (SELECT ip FROM ips WHERE expires_at <= ? LIMIT ?)')
    if (touched.size > 0) {
      const recount = db.prepare(`UPDATE ips SET collectors =
        (SELECT count(*) FROM ip_collectors WHERE ip_collectors.ip = ips.ip) WHERE ip = ?`)
      const recountAll = db.transaction((ips: string[]) => {
        for (const ip of ips) recount.run(ip)
      })
      const all = [...touched]
      for (let i = 0; i < all.length; i += chunk) {
        recountAll(all.slice(i, i + chunk))
        yield
      }
    }
    yield* repeat(
      'DELETE FROM numbers WHERE number IN (SELECT number FROM numbers WHERE expires_at <= ? LIMIT ?)',
    )
    yield* repeat(
      'DELETE FROM signed_records WHERE rowid IN (SELECT rowid FROM signed_records WHERE expires_at <= ? LIMIT ?)',
    )
    yield* repeat(`DELETE FROM event_counts WHERE (minute, family, local) IN
      (SELECT minute, family, local FROM event_counts WHERE expires_at <= ? LIMIT ?)`)
    for (const table of ['user_agents', 'methods']) {
      yield* repeat(
        `DELETE FROM ${table} WHERE value IN (SELECT value FROM ${table} WHERE expires_at <= ? LIMIT ?)`,
      )
    }
    this.counters.lastPruneAt = now
    return events
  }

  /**
   * The background prune: runs chunks for at most `pruneSliceMs`, then continues on the next event-loop
   * turn. One run at a time; errors go to `onError`.
   */
  private backgroundPrune(): void {
    if (this.closed) return
    if (this.pruning === undefined) this.pruning = this.pruneSteps(this.now())
    const started = performance.now()
    try {
      for (;;) {
        if (this.pruning.next().done === true) {
          this.pruning = undefined
          return
        }
        if (performance.now() - started >= this.pruneSliceMs) break
      }
    } catch (error) {
      this.pruning = undefined
      this.report(error)
      return
    }
    this.pruneImmediate = setImmediate(() => {
      this.pruneImmediate = undefined
      this.backgroundPrune()
    })
    this.pruneImmediate.unref()
  }

  // ---- embedding API --------------------------------------------------------------------------------

  isBadIp(ip: string): boolean {
    if (this.closed) return false
    const normalized = normalizeIp(ip)
    if (normalized === undefined) return false
    const row = this.selectIpBad.get(normalized.ip) as [number, number, number] | undefined
    if (row === undefined || row[0] <= this.now()) return false
    return row[1] > 0 || row[2] >= this.minCollectors
  }

  isBadNumber(number: string): boolean {
    if (this.closed || typeof number !== 'string' || number.length === 0) return false
    const now = this.now()
    const expires = this.selectNumberExpiry.get(number) as number | undefined
    if (expires !== undefined) return expires > now
    const normalized = this.normalizeNumber(number)
    if (normalized === number || normalized.length === 0) return false
    const other = this.selectNumberExpiry.get(normalized) as number | undefined
    return other !== undefined && other > now
  }

  lookupIp(ip: string): IpSummary | undefined {
    if (this.closed) return undefined
    const normalized = normalizeIp(ip)
    if (normalized === undefined) return undefined
    const row = this.selectIp.get(normalized.ip) as IpSummary | undefined
    if (row === undefined || row.expiresAt <= this.now()) return undefined
    return row
  }

  distinctCollectors(ip: string): number {
    this.assertOpen()
    const normalized = normalizeIp(ip)
    if (normalized === undefined) return 0
    return this.selectCollectors.get(normalized.ip, this.now()) as number
  }

  signedRecordsSince(
    since: number,
    until = Number.MAX_SAFE_INTEGER,
  ): Generator<StoredSignedRecord, void, undefined> {
    this.assertOpen()
    const self = this
    const from = Number.isFinite(since) ? Math.floor(since) : 0
    const to = Number.isFinite(until) ? Math.ceil(until) : Number.MAX_SAFE_INTEGER
    function* generate(): Generator<StoredSignedRecord, void, undefined> {
      let position: [number, string] = [from, '']
      for (;;) {
        if (self.closed) return
        const rows = self.selectSignedSince.all(
          position[0],
          position[1],
          to,
          self.now(),
          ITERATE_CHUNK,
        ) as Array<StoredSignedRecord & { bytes: Buffer }>
        for (const row of rows) yield toSignedRecord(row)
        if (rows.length < ITERATE_CHUNK) return
        const last = rows[rows.length - 1]!
        position = [last.collectedAt, last.id]
      }
    }
    // The first page starts at (since, ''): records at exactly `since` come first, whatever their id.
    return generate()
  }

  signedRecordsByIp(ip: string, limit: number = DEFAULT_SIGNED_RECORDS_BY_IP): StoredSignedRecord[] {
    this.assertOpen()
    const normalized = normalizeIp(ip)
    if (normalized === undefined) return []
    const rows = this.selectSignedByIp.all(normalized.ip, this.now(), clampLimit(limit)) as Array<
      StoredSignedRecord & { bytes: Buffer }
    >
    return rows.map(toSignedRecord)
  }

  hasSignedRecord(id: string): boolean {
    if (this.closed || typeof id !== 'string') return false
    return this.selectSignedExists.get(id, this.now()) !== undefined
  }

  signedRecordCount(): number {
    this.assertOpen()
    return this.selectSignedCount.get(this.now()) as number
  }

  // ---- queries --------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError()
  }

  private run<T>(query: { compile(): { sql: string; parameters: readonly unknown[] } }): T[] {
    const compiled = query.compile()
    let statement = this.statementCache.get(compiled.sql)
    if (statement === undefined) {
      statement = this.db.prepare(compiled.sql)
      this.statementCache.set(compiled.sql, statement)
    }
    return statement.all(...compiled.parameters) as T[]
  }

  private checkList(query: ListQuery): QueryResult<number> {
    const limit = query.limit ?? DEFAULT_PAGE_LIMIT
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
      return queryError('INVALID_LIMIT', 'limit', `limit must be an integer in 1..${MAX_PAGE_LIMIT}`)
    }
    const since = sinceError(query.since)
    if (since !== undefined) return since
    return { ok: true, value: limit }
  }

  private checkIpQuery(query: IpQuery): QueryResult<undefined> {
    const error = familyError(query.family) ?? originError(query.origin) ?? collectorError(query.collector)
    if (error !== undefined) return error
    if (
      query.minCollectors !== undefined &&
      (!Number.isSafeInteger(query.minCollectors) || query.minCollectors < 1)
    ) {
      return queryError('INVALID_FILTER', 'minCollectors', 'minCollectors must be a positive integer')
    }
    return { ok: true, value: undefined }
  }

  private ipSelect(query: IpQuery, now: number) {
    let q = queryBuilder().selectFrom('ips').select(IP_COLUMNS).where('expires_at', '>', now)
    if (query.since !== undefined) q = q.where('last_seen', '>=', query.since)
    if (query.family !== undefined) q = q.where('family', '=', query.family)
    if (query.origin === 'local') q = q.where('local_count', '>', 0)
    if (query.origin === 'remote') q = q.where('remote_count', '>', 0)
    if (query.collector !== undefined) {
      const collector = query.collector
      q = q.where('ip', 'in', (eb) =>
        eb
          .selectFrom('ip_collectors')
          .select('ip_collectors.ip')
          .where('collector_node_id', '=', collector)
          .where('ip_collectors.expires_at', '>', now),
      )
    }
    if (query.minCollectors !== undefined) {
      const k = query.minCollectors
      q = q.where((eb) => eb.or([eb('local_count', '>', 0), eb('collectors', '>=', k)]))
    }
    return q.orderBy('last_seen', 'desc').orderBy('ip', 'desc')
  }

  listIps(query: IpQuery = {}): QueryResult<Page<IpSummary>> {
    this.assertOpen()
    const checked = this.checkList(query)
    if (!checked.ok) return checked
    const filters = this.checkIpQuery(query)
    if (!filters.ok) return filters
    let q = this.ipSelect(query, this.now())
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, ['number', 'string'])
      if (cursor === undefined) return queryError('INVALID_CURSOR', 'cursor', 'cursor is not valid')
      q = q.where((eb) =>
        eb(eb.refTuple('last_seen', 'ip'), '<', eb.tuple(cursor[0] as number, cursor[1] as string)),
      )
    }
    const rows = this.run<IpSummary>(q.limit(checked.value + 1))
    return { ok: true, value: this.page(rows, checked.value, (row) => [row.lastSeen, row.ip]) }
  }

  iterateIps(query: IpQuery = {}): QueryResult<Generator<IpSummary, void, undefined>> {
    this.assertOpen()
    const since = sinceError(query.since)
    if (since !== undefined) return since
    const filters = this.checkIpQuery(query)
    if (!filters.ok) return filters
    const now = this.now()
    const base = this.ipSelect(query, now)
    // Compiled once: the first chunk without a position, the others after the last row.
    const first = base.limit(ITERATE_CHUNK).compile()
    const next = base
      .where((eb) => eb(eb.refTuple('last_seen', 'ip'), '<', eb.tuple(0, '')))
      .limit(ITERATE_CHUNK)
      .compile()
    const firstStatement = this.db.prepare(first.sql)
    const nextStatement = this.db.prepare(next.sql)
    const cursorIndex = next.parameters.length - 3
    const self = this
    function* generate(): Generator<IpSummary, void, undefined> {
      let rows = firstStatement.all(...first.parameters) as IpSummary[]
      for (;;) {
        yield* rows
        if (rows.length < ITERATE_CHUNK || self.closed) return
        const last = rows[rows.length - 1]!
        const parameters = [...next.parameters]
        parameters[cursorIndex] = last.lastSeen
        parameters[cursorIndex + 1] = last.ip
        rows = nextStatement.all(...parameters) as IpSummary[]
      }
    }
    return { ok: true, value: generate() }
  }

  getIp(
    ip: string,
    recentEvents: number = DEFAULT_RECENT_EVENTS,
    options?: DetailOptions,
  ): IpDetail | undefined {
    this.assertOpen()
    const summary = this.lookupIp(ip)
    if (summary === undefined) return undefined
    const now = this.now()
    const limit = clampLimit(recentEvents)
    const statement = options?.rawMessage === false ? this.selectIpEventsNoRaw : this.selectIpEvents
    const detail = summary as IpDetail
    detail.recentEvents =
      limit === 0 ? [] : toRecentEvents(statement.all(summary.ip, now, limit) as RecentRow[], summary.ip)
    detail.collectorIds =
      options?.collectorIds === false ? [] : (this.selectCollectorIds.all(summary.ip, now) as string[])
    return detail
  }

  private findNumber(number: string): NumberSummary | undefined {
    if (typeof number !== 'string' || number.length === 0) return undefined
    const now = this.now()
    let row = this.selectNumber.get(number) as NumberSummary | undefined
    if (row === undefined) {
      const normalized = this.normalizeNumber(number)
      if (normalized !== number && normalized.length > 0) {
        row = this.selectNumber.get(normalized) as NumberSummary | undefined
      }
    }
    return row !== undefined && row.expiresAt > now ? row : undefined
  }

  listNumbers(query: NumberQuery = {}): QueryResult<Page<NumberSummary>> {
    this.assertOpen()
    const checked = this.checkList(query)
    if (!checked.ok) return checked
    const origin = originError(query.origin)
    if (origin !== undefined) return origin
    let q = queryBuilder().selectFrom('numbers').select(NUMBER_COLUMNS).where('expires_at', '>', this.now())
    if (query.since !== undefined) q = q.where('last_seen', '>=', query.since)
    if (query.origin === 'local') q = q.where('local_count', '>', 0)
    if (query.origin === 'remote') q = q.where('remote_count', '>', 0)
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, ['number', 'string'])
      if (cursor === undefined) return queryError('INVALID_CURSOR', 'cursor', 'cursor is not valid')
      q = q.where((eb) =>
        eb(eb.refTuple('last_seen', 'number'), '<', eb.tuple(cursor[0] as number, cursor[1] as string)),
      )
    }
    const rows = this.run<NumberSummary>(
      q
        .orderBy('last_seen', 'desc')
        .orderBy('number', 'desc')
        .limit(checked.value + 1),
    )
    return { ok: true, value: this.page(rows, checked.value, (row) => [row.lastSeen, row.number]) }
  }

  getNumber(
    number: string,
    recentEvents: number = DEFAULT_RECENT_EVENTS,
    options?: DetailOptions,
  ): NumberDetail | undefined {
    this.assertOpen()
    const summary = this.findNumber(number)
    if (summary === undefined) return undefined
    const limit = clampLimit(recentEvents)
    const statement = options?.rawMessage === false ? this.selectNumberEventsNoRaw : this.selectNumberEvents
    const detail = summary as NumberDetail
    detail.recentEvents =
      limit === 0
        ? []
        : toRecentEvents(statement.all(summary.number, this.now(), limit) as RecentRow[], summary.number)
    return detail
  }

  private listValues(table: 'user_agents' | 'methods', query: ListQuery): QueryResult<Page<ValueSummary>> {
    this.assertOpen()
    const checked = this.checkList(query)
    if (!checked.ok) return checked
    let q: SelectQueryBuilder<StoreDatabase, 'user_agents' | 'methods', ValueSummary> = queryBuilder()
      .selectFrom(table as 'user_agents')
      .select(['value', 'first_seen as firstSeen', 'last_seen as lastSeen', 'seen_count as seenCount'])
      .where('expires_at', '>', this.now())
    if (query.since !== undefined) q = q.where('last_seen', '>=', query.since)
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, ['number', 'string'])
      if (cursor === undefined) return queryError('INVALID_CURSOR', 'cursor', 'cursor is not valid')
      q = q.where((eb) =>
        eb(eb.refTuple('last_seen', 'value'), '<', eb.tuple(cursor[0] as number, cursor[1] as string)),
      )
    }
    const rows = this.run<ValueSummary>(
      q
        .orderBy('last_seen', 'desc')
        .orderBy('value', 'desc')
        .limit(checked.value + 1),
    )
    return { ok: true, value: this.page(rows, checked.value, (row) => [row.lastSeen, row.value]) }
  }

  listUserAgents(query: ListQuery = {}): QueryResult<Page<ValueSummary>> {
    return this.listValues('user_agents', query)
  }

  listMethods(query: ListQuery = {}): QueryResult<Page<ValueSummary>> {
    return this.listValues('methods', query)
  }

  countsPerBucket(query: BucketQuery): QueryResult<Bucket[]> {
    this.assertOpen()
    const bucketMs = query?.bucketMs
    if (!Number.isSafeInteger(bucketMs) || bucketMs < 1) {
      return queryError('INVALID_FILTER', 'bucketMs', 'bucketMs must be a positive integer')
    }
    const now = this.now()
    const until = query.until ?? now
    let since = query.since ?? until - this.maxAgeMs
    if (!Number.isFinite(until) || !Number.isFinite(since) || since > until) {
      return queryError('INVALID_FILTER', 'since', 'since and until must be times in ms with since <= until')
    }
    if ((until - since) / bucketMs > MAX_BUCKETS) since = until - MAX_BUCKETS * bucketMs
    const filter = familyError(query.family) ?? originError(query.origin)
    if (filter !== undefined) return filter
    const family = query.family
    const origin = query.origin
    const fromEvents = (from: number, to: number): Bucket[] => {
      let q = queryBuilder()
        .selectFrom('events')
        .select((eb) => [
          eb(eb.ref('event_time'), '-', eb(eb.ref('event_time'), '%', bucketMs)).as('start'),
          eb.fn.countAll<number>().as('count'),
        ])
        .where('event_time', '>=', from)
        .where('event_time', '<', to)
        .where('expires_at', '>', now)
      if (family !== undefined) q = q.where('source_family', '=', family)
      if (origin === 'local') q = q.where('origin', '=', 'local')
      if (origin === 'remote') q = q.where('origin', '<>', 'local')
      return this.run<Bucket>(q.groupBy('start').orderBy('start'))
    }
    // Whole minutes inside the range whose events cannot have expired (minute > now - maxAge) are read
    // from the per-minute summary; the edges (partial minutes, the expiry edge) from the events.
    const firstLive = now - this.maxAgeMs - ((now - this.maxAgeMs) % COUNT_MINUTE_MS) + COUNT_MINUTE_MS
    const lo = Math.max(Math.ceil(since / COUNT_MINUTE_MS) * COUNT_MINUTE_MS, firstLive)
    const hi = Math.floor(until / COUNT_MINUTE_MS) * COUNT_MINUTE_MS
    if (bucketMs % COUNT_MINUTE_MS !== 0 || lo >= hi) {
      return { ok: true, value: fromEvents(since, until) }
    }
    let q = queryBuilder()
      .selectFrom('event_counts')
      .select((eb) => [
        eb(eb.ref('minute'), '-', eb(eb.ref('minute'), '%', bucketMs)).as('start'),
        eb.fn.sum<number>('count').as('count'),
      ])
      .where('minute', '>=', lo)
      .where('minute', '<', hi)
      .where('expires_at', '>', now)
    if (family !== undefined) q = q.where('family', '=', family)
    if (origin === 'local') q = q.where('local', '=', 1)
    if (origin === 'remote') q = q.where('local', '=', 0)
    const merged = new Map<number, number>()
    for (const part of [fromEvents(since, lo), this.run<Bucket>(q.groupBy('start')), fromEvents(hi, until)]) {
      for (const bucket of part) merged.set(bucket.start, (merged.get(bucket.start) ?? 0) + bucket.count)
    }
    const rows = [...merged].map(([start, count]) => ({ start, count })).sort((a, b) => a.start - b.start)
    return { ok: true, value: rows }
  }

  eventsSince(query: EventsSinceQuery): QueryResult<Page<StoredEvent>> {
    this.assertOpen()
    if (typeof query?.since !== 'number' || !Number.isFinite(query.since)) {
      return queryError('INVALID_FILTER', 'since', 'since must be a time in ms')
    }
    const checked = this.checkList({ limit: query.limit })
    if (!checked.ok) return checked
    const collector = collectorError(query.collector)
    if (collector !== undefined) return collector
    let q = queryBuilder()
      .selectFrom('events')
      .select([
        'id',
        'event_time as eventTime',
        'event_uuid as eventUuid',
        'source_ip as sourceIp',
        'source_port as sourcePort',
        'destination_ip as destinationIp',
        'destination_port as destinationPort',
        'transport',
        'method',
        'called_number_raw as calledNumberRaw',
        'called_number as calledNumberNormalized',
        'user_agent as userAgent',
        'call_id as callId',
        'raw_message as rawMessage',
        'collection_mode as collectionMode',
        'collector_node_id as collectorNodeId',
        'origin',
        'expires_at as expiresAt',
      ])
      .where('event_time', '>=', query.since)
      .where('expires_at', '>', this.now())
    if (query.collector !== undefined) q = q.where('collector_node_id', '=', query.collector)
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(query.cursor, ['number', 'number'])
      if (cursor === undefined) return queryError('INVALID_CURSOR', 'cursor', 'cursor is not valid')
      q = q.where((eb) =>
        eb(eb.refTuple('event_time', 'id'), '>', eb.tuple(cursor[0] as number, cursor[1] as number)),
      )
    }
    const rows = this.run<EventRow>(
      q
        .orderBy('event_time')
        .orderBy('id')
        .limit(checked.value + 1),
    )
    const page = this.page(rows, checked.value, (row) => [row.eventTime, row.id])
    return { ok: true, value: { items: page.items.map(toStoredEvent), nextCursor: page.nextCursor } }
  }

  private page<T>(rows: T[], limit: number, key: (row: T) => Array<string | number>): Page<T> {
    if (rows.length <= limit) return { items: rows }
    const items = rows.slice(0, limit)
    return { items, nextCursor: encodeCursor(key(items[items.length - 1]!)) }
  }

  stats(): StoreStats {
    return { queueDepth: this.queue.length, ...this.counters }
  }
}
