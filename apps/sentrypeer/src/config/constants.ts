/**
 * Defaults of the daemon's configuration. Every value can be overridden with a command-line option, an
 * environment variable or the JSON config file (see the app README).
 */

/** SIP over UDP and TCP (RFC 3261 §18.1.1, port 5060), IPv4 and IPv6. */
export const DEFAULT_SIP_LISTEN = ['0.0.0.0:5060', '[::]:5060'] as const
/** SIP over TLS (RFC 3261 §26.2, port 5061). */
export const DEFAULT_TLS_LISTEN = ['0.0.0.0:5061'] as const
/** The local HTTP API, loopback only by default (SentryPeer listens on 8082). */
export const DEFAULT_API_LISTEN = '127.0.0.1:8082'
/** SentryPeer's database file name, relative to the working directory. */
export const DEFAULT_DB_FILE = 'sentrypeer.db'
/** Data older than seven days is useless for blocking (SentryPeer's retention). */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000
/** The Server / User-Agent string the UAS presents, that of a common PBX. */
export const DEFAULT_SIP_AGENT = 'FPBX-16.0.33(18.20.0)'
/** The Digest realm of the 401 challenge (RFC 3261 §22.1); Asterisk's default realm. */
export const DEFAULT_SIP_REALM = 'asterisk'
/**
 * SQLite page cache of the daemon's store (KiB) when it writes on the event loop: SQLite's default, 2 MiB
 * (https://www.sqlite.org/pragma.html#pragma_cache_size). The store's own default (64 MiB) suits an
 * embedding program that queries a lot; the honeypot mostly appends, pages it misses come from the
 * kernel's page cache, and its RSS target is under 100 MB: a flood filled 8 MiB within seconds (6.1 MB
 * of SQLite allocations at the peak of a 10,000/s flood, docs/benchmarks.md, Ingest).
 */
export const DEFAULT_STORE_CACHE_SIZE_KIB = 2_048
/**
 * The same with the writer thread (`-p`): a P2P catch-up touches index pages of many IPs at once, and
 * caught up 100,000 records in 10.45 s on average with 8 MiB against 10.75 s with 2 MiB (four alternating
 * runs each, docs/benchmarks.md, P2P). No RSS target there: libp2p alone weighs more.
 */
export const WRITER_THREAD_STORE_CACHE_SIZE_KIB = 8_192
/** File next to the database holding the persistent node id. */
export const NODE_ID_FILE_NAME = 'sentrypeer-node-id'
/** Exit code for a configuration error (bad option value, unreadable config file). */
export const EXIT_CONFIG_ERROR = 2
