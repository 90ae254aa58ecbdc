/**
 * Every limit of the store, each with its default and where the default comes from. All of them can be
 * overridden through {@link StoreInit} (see the package README for the table).
 */

/** One minute, one hour, one day in milliseconds. */
const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS

/**
 * How long an event (and an IP, number, User-Agent or method summary not seen again) is kept: 7 days.
 * SentryPeer's own rule: data older than seven days is useless for blocking. Overridden by `--max-age`.
 */
export const DEFAULT_MAX_AGE_MS = 7 * DAY_MS

/**
 * Most events written per SQLite transaction. A flush takes what is queued, up to this many: a trickle is
 * written every `flushIntervalMs` in small transactions, a backlog in large ones (group commit). Every
 * commit copies each B-tree page it changed into the WAL once, and events of many IPs, numbers and
 * records change pages all over the indexes, so larger transactions share those copies: 100,000 events
 * of 50,000 IPs with signed records cost 106 µs of CPU each in transactions of 512, 78 µs in 2,048 and
 * 65 µs in 8,192 (docs/benchmarks.md, `## Store`). 2,048 keeps one transaction of such events to about
 * 150 ms on the thread that owns the store; a store on its own thread can take more.
 */
export const DEFAULT_BATCH_SIZE = 2_048

/** A non-empty queue is flushed at least this often (ms), so a crash loses at most a few ms of events. */
export const DEFAULT_FLUSH_INTERVAL_MS = 5

/**
 * Longest run of write transactions started by a timer before the store yields to the event loop (ms),
 * so draining a deep queue never stalls the packet path for long.
 */
export const DEFAULT_FLUSH_SLICE_MS = 10

/** Events waiting to be written. When full, `record()` returns false and counts a drop. */
export const DEFAULT_MAX_QUEUE = 100_000

/**
 * Stored bytes of the raw SIP message (UTF-8, truncated on a character boundary). RFC 3261 §18.1.1 puts
 * the UDP path MTU threshold at 1300 bytes; 64 KiB holds any single UDP datagram and any sane TCP message.
 */
export const DEFAULT_RAW_MESSAGE_MAX_BYTES = 65_536

/** How often expired rows are deleted (ms); pruning also runs once on open. */
export const DEFAULT_PRUNE_INTERVAL_MS = 60_000

/** Rows deleted per transaction while pruning, so a large prune never holds the write lock for long. */
export const DEFAULT_PRUNE_CHUNK = 10_000

/**
 * Longest run of prune transactions before the background prune yields to the event loop (ms): a prune
 * after a long downtime deletes hundreds of thousands of rows and must not stall the packet path.
 */
export const DEFAULT_PRUNE_SLICE_MS = 20

/** SQLite busy timeout (ms): how long a write waits for another connection's lock before failing. */
export const DEFAULT_BUSY_TIMEOUT_MS = 200

/** A failed batch is retried this many times (on the next flushes) before it is counted as lost. */
export const DEFAULT_MAX_FLUSH_RETRIES = 3

/**
 * How far in the future an event time may be (ms). Clock skew between nodes is tolerated; a record from
 * the far future (which would never expire) is rejected.
 */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * MINUTE_MS

/** Default and largest page sizes of the list queries. */
export const DEFAULT_PAGE_LIMIT = 100
export const MAX_PAGE_LIMIT = 10_000

/** Rows fetched per round trip by the `iterateIps()` generator. */
export const ITERATE_CHUNK = 5_000

/** Events returned with one IP's or one number's detail (`getIp`, `getNumber`). */
export const DEFAULT_RECENT_EVENTS = 20

/** Granularity of the `event_counts` summary (ms): buckets that are multiples of it read the summary. */
export const COUNT_MINUTE_MS = MINUTE_MS

/** Largest number of buckets `countsPerBucket` returns (the time range is cut to fit). */
export const MAX_BUCKETS = 10_000

/** Field length limits (UTF-16 code units) applied by event validation. */
export const MAX_EVENT_UUID_LENGTH = 64
/** RFC 3261 §25.1: a method is a token; no real method is longer than 32 characters. */
export const MAX_METHOD_LENGTH = 32
/** Called numbers longer than this are rejected (E.164 is 15 digits; user parts can be longer). */
export const MAX_NUMBER_LENGTH = 256
/** User-Agent and Call-ID are truncated to these lengths. */
export const MAX_USER_AGENT_LENGTH = 1_024
export const MAX_CALL_ID_LENGTH = 256
/** Node ids and origins (libp2p peer ids are ~52 characters). */
export const MAX_NODE_ID_LENGTH = 128

/**
 * Largest signed P2P record kept (bytes): the share protocol's own envelope limit (16 KiB,
 * `DEFAULT_MAX_RECORD_BYTES` of `@sentrypeer/share`, docs/p2p.md).
 */
export const MAX_SIGNED_RECORD_BYTES = 16_384

/** Signed records returned by one `signedRecordsByIp` call unless asked otherwise (a lookup answer). */
export const DEFAULT_SIGNED_RECORDS_BY_IP = 100
/** Longest accepted IP address text (IPv6 with an embedded IPv4 and a zone). */
export const MAX_IP_TEXT_LENGTH = 64

/** Rows `importSentryPeerDb` hands to the store between two flushes and yields to the event loop. */
export const DEFAULT_IMPORT_CHUNK = 2_048

/** Delay before retrying a batch whose write transaction failed (ms). */
export const FLUSH_RETRY_DELAY_MS = 100

/**
 * SQLite page cache per connection (KiB). SQLite's default is 2 MiB; the summary and index pages of a
 * million-event store do not fit in that, and every miss is a read (https://www.sqlite.org/pragma.html#pragma_cache_size).
 */
export const DEFAULT_CACHE_SIZE_KIB = 65_536

/**
 * SQLite page size of a new database (bytes); SQLite's default, 4096
 * (https://www.sqlite.org/pragma.html#pragma_page_size). Ignored for an existing database.
 */
export const DEFAULT_PAGE_SIZE = 4_096

/**
 * WAL pages written before an automatic checkpoint. SQLite's default is 1000 (4 MiB); checkpointing less
 * often merges the repeated writes to the same index pages into one copy (https://www.sqlite.org/wal.html).
 */
export const DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 10_000
