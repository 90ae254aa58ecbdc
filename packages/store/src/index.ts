/**
 * `@sentrypeer/store`: the SentryPeer bad-actor store. SQLite (better-sqlite3, kysely for query
 * building) in WAL mode, batched writes that never block the packet path, summaries kept on write,
 * retention, and a synchronous embedding API (`isBadIp`, `isBadNumber`, `lookupIp`).
 *
 * @example
 * ```ts
 * import { openStore } from '@sentrypeer/store'
 *
 * const store = openStore({ path: '/var/lib/sentrypeer/sentrypeer.db' })
 * if (store.isBadNumber('+442079460000')) console.log('refuse the call')
 * ```
 *
 * @packageDocumentation
 */
export {
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
  MAX_CALL_ID_LENGTH,
  MAX_EVENT_UUID_LENGTH,
  MAX_IP_TEXT_LENGTH,
  MAX_METHOD_LENGTH,
  MAX_NODE_ID_LENGTH,
  MAX_NUMBER_LENGTH,
  MAX_PAGE_LIMIT,
  MAX_SIGNED_RECORD_BYTES,
  MAX_USER_AGENT_LENGTH,
} from './constants.js'
export {
  type EventErrorCode,
  ImportSourceError,
  type InputError,
  InvalidOptionError,
  MigrationError,
  type QueryErrorCode,
  SchemaTooNewError,
  StoreClosedError,
  StoreError,
  type StoreErrorCode,
} from './errors.js'
export {
  type ImportInit,
  type ImportResult,
  type ImportSkipReason,
  importSentryPeerDb,
} from './import-sentrypeer-db.js'
export { MIGRATIONS, type Migration, runMigrations, SCHEMA_VERSION } from './migrations.js'
export { type NormalizedIp, normalizeIp } from './normalize-ip.js'
export { normalizeNumber } from './normalize-number.js'
export { openStore } from './open-store.js'
export { formatSentryPeerTimestamp, parseSentryPeerTimestamp } from './sentrypeer-timestamp.js'
export type {
  Bucket,
  BucketQuery,
  CollectionMode,
  DetailOptions,
  EventResult,
  EventsSinceQuery,
  IpDetail,
  IpQuery,
  IpSummary,
  ListQuery,
  NumberDetail,
  NumberQuery,
  NumberSummary,
  OriginFilter,
  Page,
  QueryResult,
  Result,
  SignedRecordInput,
  SipEventInput,
  Store,
  StoredEvent,
  StoredSignedRecord,
  StoreInit,
  StoreStats,
  Transport,
  ValidEvent,
  ValueSummary,
} from './store.js'
export { truncateUtf8, type ValidateEventOptions, validateEvent } from './validate-event.js'
