import { MAX_METHOD_LENGTH } from '@sentrypeer/store'

/**
 * Limits and defaults of SentryPeer's peer-to-peer layer. The protocol limits (record size, catch-up
 * frames, standing, rate limits) are `@sentrypeer/share`'s own constants; these are the SentryPeer ones.
 */

/** libp2p listen addresses: TCP 4222 on every IPv4 and IPv6 address (issue 5). */
export const DEFAULT_P2P_LISTEN = ['/ip4/0.0.0.0/tcp/4222', '/ip6/::/tcp/4222'] as const
/** The node's Ed25519 identity, created on first run next to the database. */
export const P2P_KEY_FILE_NAME = 'sentrypeer-p2p.key'
/** Protocol namespace: `/sentrypeer/kad/1.0.0`, `/sentrypeer/share/...` (docs/p2p.md). */
export const P2P_NAMESPACE = 'sentrypeer'
/**
 * K: distinct collectors that must report an IP learnt from peers before it is blocked (firewall feeds,
 * CrowdSec, `isBadIp`). Local sightings always count. Two means one liar cannot block anyone alone.
 */
export const DEFAULT_CONFIRMATIONS = 2
/** Version of the SentryPeer record layout (`v` field). */
export const RECORD_VERSION = 1
/** Longest called number (raw and normalised) shared; E.164 is 15 digits, SIP user parts are longer. */
export const MAX_RECORD_NUMBER_LENGTH = 128
/** Longest User-Agent shared (characters); longer ones are cut before signing. */
export const MAX_RECORD_USER_AGENT_LENGTH = 256
/** Longest SIP method (RFC 3261 token); the store's own limit. */
export const MAX_RECORD_METHOD_LENGTH = MAX_METHOD_LENGTH
/** Records in one `GET /network/ip-addresses/{ip}` answer. */
export const MAX_NETWORK_REPORTS = 100
/** Peers' analytics reports kept for `GET /network/stats` (one per peer, most recent). */
export const MAX_ANALYTICS_NODES = 1_000
/** Local records signed and published at once; beyond it local events are recorded but not shared. */
export const MAX_PENDING_PUBLISHES = 10_000
/**
 * Share of the store's write queue that records received from peers may fill. Past it a delivery waits
 * for the writer to drain (a catch-up of 100,000 records is verified faster than SQLite writes it)
 * instead of having records refused, which a node would only fetch again at the next catch-up round;
 * the rest of the queue stays free for the honeypot's own SIP events.
 */
export const P2P_STORE_QUEUE_SHARE = 0.5
/** Flushes a delivery waits for before it gives up and the record is refused (fetched again later). */
export const STORE_DRAIN_WAITS = 10
