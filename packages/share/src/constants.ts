/**
 * Limits and defaults of @sentrypeer/share. Every one is overridable through `ShareInit`; these are the
 * defaults. The wire format they bound is described in docs/p2p.md.
 */

/** Protocol namespace: prefixes the protocol ids, topics and the signature domain. */
export const DEFAULT_NAMESPACE = 'sentrypeer'

/**
 * Records older than this are neither accepted, served nor counted. SentryPeer data older than seven days
 * is useless for blocking (project rule, README).
 */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000

/** A record may claim a collection time at most this far in the future (clock skew allowance). */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60 * 1000

/**
 * Largest signed record envelope (collector key + application payload + signature). A SIP message is
 * limited to 64 KiB by most stacks (RFC 3261 section 18.1.1 sizes UDP messages far below that);
 * a record carries at most an excerpt of one.
 */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024

/** Largest frame on the request/response protocols (a page of records or a digest list). */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024

/** Catch-up time bucket: digests are exchanged per bucket of this width (168 buckets in 7 days). */
export const DEFAULT_BUCKET_MS = 60 * 60 * 1000

/**
 * Records per catch-up response frame (a responder also cuts a page before it would exceed
 * `maxFrameBytes`). 1,000 envelopes of a few hundred bytes are well under the 4 MiB frame limit and
 * give each verification worker batches of hundreds of records.
 */
export const DEFAULT_PAGE_SIZE = 1000

/**
 * Most worker threads checking catch-up signatures (Ed25519 verification is about 100 µs of CPU per
 * record, RFC 8032; it is what a catch-up costs). The default is the machine's available parallelism,
 * bounded by this.
 */
export const MAX_VERIFY_WORKERS = 4

/** Fewest records per verification batch sent to one worker (smaller pages use fewer workers). */
export const DEFAULT_MIN_VERIFY_BATCH = 64

/**
 * Tries of a verification batch whose worker thread died (the first included); after that the batch
 * fails cleanly (`VerifyWorkerError`) and the catch-up exchange ends.
 */
export const DEFAULT_VERIFY_ATTEMPTS = 2

/**
 * Catch-up pages received and being verified at once: the requester keeps reading the next pages while
 * the workers check earlier ones, and stops reading (stream back-pressure) past this.
 */
export const DEFAULT_CATCH_UP_PAGES_IN_FLIGHT = 4

/** Most record ids a requester lists as already known for one bucket (8-byte id prefixes each). */
export const DEFAULT_MAX_KNOWN_IDS_PER_BUCKET = 200_000

/** Most records one catch-up session transfers (a new node asks again on the next round). */
export const DEFAULT_MAX_RECORDS_PER_CATCH_UP = 1_000_000

/** Catch-up is repeated with one random peer this often (heals gaps gossip missed). */
export const DEFAULT_CATCH_UP_INTERVAL_MS = 10 * 60 * 1000

/** A request/response exchange is aborted when it has not finished in this time. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60 * 1000

/** Window in which a peer must have collected and published records to have standing (tit-for-tat). */
export const DEFAULT_STANDING_WINDOW_MS = 24 * 60 * 60 * 1000

/** Records of its own a peer must have published in the standing window to have standing. */
export const DEFAULT_STANDING_MIN_RECORDS = 1

/** A new identity has standing for this long after we first see it, so it can start to contribute. */
export const DEFAULT_GRACE_PERIOD_MS = 60 * 60 * 1000

/**
 * Distinct collectors that must report a key before a key learnt from peers counts as confirmed
 * (poisoning resistance). Local records always count.
 */
export const DEFAULT_CONFIRMATIONS = 2

/** Gossip records accepted from one peer per second (token bucket refill rate). */
export const DEFAULT_RECORDS_PER_PEER_PER_SECOND = 200

/** Gossip record burst accepted from one peer (token bucket size). */
export const DEFAULT_RECORDS_BURST = 2_000

/** Catch-up and lookup requests served to one peer per minute. */
export const DEFAULT_REQUESTS_PER_PEER_PER_MINUTE = 30

/** Records returned per lookup answer. */
export const DEFAULT_MAX_LOOKUP_RECORDS = 100

/** Peers asked by one lookup. */
export const DEFAULT_LOOKUP_PEERS = 20

/** Analytics counters are published this often when analytics is enabled. */
export const DEFAULT_ANALYTICS_INTERVAL_MS = 5 * 60 * 1000

/** Bootstrap peers that are not connected are dialled again this often. */
export const DEFAULT_RECONNECT_INTERVAL_MS = 30 * 1000

/** Default listen address: all IPv4 interfaces, TCP port 4001 (the usual libp2p port). */
export const DEFAULT_LISTEN = ['/ip4/0.0.0.0/tcp/4001']

/**
 * Gossipsub application-specific score of a peer without standing. Below the gossip and publish
 * thresholds (`GOSSIP_THRESHOLD`, `PUBLISH_THRESHOLD`), so it is kept out of the mesh and gets neither
 * gossip nor flood publishes, but above `GRAYLIST_THRESHOLD`, so the records it publishes are still
 * processed and can earn it standing.
 */
export const NO_STANDING_SCORE = -60

/** Gossipsub penalty weight per invalid record (squared counter, gossipsub v1.1 P4). */
export const INVALID_RECORD_WEIGHT = -20

/** Peers tracked for standing and rate limiting; the least recently seen are forgotten first. */
export const DEFAULT_MAX_TRACKED_PEERS = 10_000

/** Gossipsub score thresholds (gossipsub v1.1): below -10 no gossip, below -50 no flood publish. */
export const GOSSIP_THRESHOLD = -10
export const PUBLISH_THRESHOLD = -50
/** Below -80 a peer's messages are ignored altogether (greylisted). */
export const GRAYLIST_THRESHOLD = -80

/** Longest DHT walk for the peers closest to a looked-up key (ms), whatever the request timeout. */
export const MAX_LOOKUP_DHT_WALK_MS = 10_000

/** How long a peer's count of own records is reused for its standing (ms); gossipsub asks every heartbeat. */
export const STANDING_CACHE_MS = 1_000

/** Namespaces whose signing domain is kept ready (one per application sharing records). */
export const MAX_CACHED_SIGNING_DOMAINS = 64
