/**
 * Limits of the SIP listeners and the UAS. Each is overridable through the `limits` key of the JSON
 * config file (see the app README).
 */

/**
 * How long a server transaction is remembered to absorb retransmissions: 64*T1 = 32 s, the lifetime of
 * the longest transaction (RFC 3261 §17.2.1 Timer H, §17.2.2 Timer J with T1 = 500 ms).
 */
export const TRANSACTION_TTL_MS = 32_000
/**
 * Cap on remembered transactions (oldest evicted first). 8,192 cover the first four retransmissions
 * (0.5, 1, 2, 4 s) of every transaction up to about 1,000 new ones per second, and 0.36 s of a
 * 22,500/s flood, when retransmissions are the least of it: against 20,000, the same flood peaked at
 * 170-174 MB of RSS instead of 196-210 MB, lossless either way (docs/benchmarks.md, Ingest).
 */
export const TRANSACTION_CACHE_MAX_ENTRIES = 8_192
/** Largest `transactionCacheMaxEntries` accepted: the cache allocates its key ring up front (16 B each). */
export const TRANSACTION_CACHE_MAX_ENTRIES_LIMIT = 1_000_000
/**
 * A TCP/TLS connection idle for longer than this is closed. RFC 3261 §18 leaves the value to the
 * implementation; no transaction outlives 64*T1 = 32 s, so an idle connection carries none.
 */
export const STREAM_IDLE_TIMEOUT_MS = 32_000
/** Cap on concurrent TCP+TLS connections per listener. */
export const STREAM_MAX_CONNECTIONS = 1_024
/**
 * Cap on bytes queued for writing on one connection; a peer that does not read its replies is cut off.
 */
export const STREAM_MAX_WRITE_BUFFER_BYTES = 256 * 1024
/**
 * Per-connection input buffer cap: the framer's limit. 64 KiB, the largest UDP datagram (RFC 768),
 * is also plenty for any one SIP message over a stream.
 */
export const STREAM_MAX_BUFFER_BYTES = 65_535
/** Largest accepted UDP datagram (RFC 768: 65,535 bytes including headers). */
export const UDP_MAX_DATAGRAM_BYTES = 65_535
/** Receive buffer asked of the kernel for each UDP socket (bounded by net.core.rmem_max). */
export const UDP_RECV_BUFFER_BYTES = 8 * 1024 * 1024
/** TLS handshake must complete within this time (Node's default is 120 s, far too generous here). */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000

/** The limits of the SIP side of the daemon. */
export interface SipListenerLimits {
  transactionTtlMs: number
  transactionCacheMaxEntries: number
  streamIdleTimeoutMs: number
  streamMaxConnections: number
  streamMaxWriteBufferBytes: number
  streamMaxBufferBytes: number
  udpMaxDatagramBytes: number
  udpRecvBufferBytes: number
  tlsHandshakeTimeoutMs: number
}

export const DEFAULT_SIP_LISTENER_LIMITS: SipListenerLimits = {
  transactionTtlMs: TRANSACTION_TTL_MS,
  transactionCacheMaxEntries: TRANSACTION_CACHE_MAX_ENTRIES,
  streamIdleTimeoutMs: STREAM_IDLE_TIMEOUT_MS,
  streamMaxConnections: STREAM_MAX_CONNECTIONS,
  streamMaxWriteBufferBytes: STREAM_MAX_WRITE_BUFFER_BYTES,
  streamMaxBufferBytes: STREAM_MAX_BUFFER_BYTES,
  udpMaxDatagramBytes: UDP_MAX_DATAGRAM_BYTES,
  udpRecvBufferBytes: UDP_RECV_BUFFER_BYTES,
  tlsHandshakeTimeoutMs: TLS_HANDSHAKE_TIMEOUT_MS,
}
