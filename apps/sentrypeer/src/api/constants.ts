/**
 * Limits and defaults of the HTTP API server. Each is overridable through {@link ApiServerInit}; the
 * table is in apps/sentrypeer/README.md and docs/api.md.
 */

/** Default bind address: loopback only, as SentryPeer in C. */
export const DEFAULT_API_HOST = '127.0.0.1'

/** Default port, as SentryPeer in C (`SENTRYPEER_API_PORT` 8082). */
export const DEFAULT_API_PORT = 8082

/**
 * K: distinct collectors before an IP learnt from peers is exported to firewall feeds and CrowdSec
 * (issue 5, poisoning resistance: one lying peer cannot get an address blocked alone). The P2P layer's
 * own default, so the API exports exactly what the node confirms.
 */
export { DEFAULT_CONFIRMATIONS } from '../p2p/constants.js'

/**
 * Longest request target accepted (bytes). RFC 9110 §4.1 asks servers to support at least 8000 octets;
 * longer targets get a JSON 414. Node's own header limit (16 KiB) answers 431 beyond that.
 */
export const DEFAULT_MAX_URL_LENGTH = 8_192

/** Longest path parameter (an IPv6 address with a zone or a dial string fits easily). */
export const DEFAULT_MAX_PARAM_LENGTH = 256

/** Most Server-Sent Events clients at once; more get a 503. */
export const DEFAULT_MAX_SSE_CLIENTS = 64

/** SSE keep-alive comment period (ms), below common proxy idle timeouts of 30-60 s. */
export const DEFAULT_SSE_HEARTBEAT_MS = 15_000

/**
 * Bytes an SSE client may have unsent before events to it are skipped (counted in
 * `sentrypeer_api_sse_events_dropped_total`), so a slow reader never grows our memory.
 */
export const DEFAULT_SSE_MAX_BUFFERED_BYTES = 1_048_576

/** CrowdSec bouncers whose last decisions we remember for `startup=false` deltas (oldest forgotten). */
export const DEFAULT_MAX_BOUNCERS = 16

/**
 * IP -> latest SIP method entries kept for CrowdSec scenario names (about 100 bytes each). Fed by new
 * events; an IP missing from it costs one store look-up on the next decisions pull.
 */
export const DEFAULT_METHOD_CACHE_SIZE = 262_144

/** Rows or look-ups handled between two yields to the event loop in long API operations. */
export const YIELD_EVERY = 2_000

/** Summaries written per chunk when a whole list is streamed. */
export const STREAM_CHUNK_ITEMS = 2_000

/** Name of the ipset sets and of the nftables table. */
export const BLOCKLIST_SET_V4 = 'sentrypeer-v4'
export const BLOCKLIST_SET_V6 = 'sentrypeer-v6'
export const NFT_TABLE = 'sentrypeer'

/** `maxelem` of the ipset sets: ipset's kernel default hash limit ceiling we choose (2^20 entries). */
export const IPSET_MAXELEM = 1_048_576

/** ipset timeouts are capped by the kernel at 2147483 s (ipset(8), "timeout"). */
export const IPSET_MAX_TIMEOUT_S = 2_147_483

/** Entries per `add element` statement of the nftables script (keeps each statement small). */
export const NFT_ELEMENTS_PER_STATEMENT = 1_000

/** Names of the BIRD 2 `protocol static` blocks of `format=bird` (IPv4 and IPv6 channels). */
export const BIRD_PROTOCOL_V4 = 'sentrypeer_v4'
export const BIRD_PROTOCOL_V6 = 'sentrypeer_v6'

/** The BLACKHOLE well-known community of RFC 7999 (65535:666) that tags every route of `format=bird`. */
export const BLACKHOLE_COMMUNITY = [65_535, 666] as const

/** The default allowlist: loopback, RFC 1918, link-local, RFC 4193 unique local, unspecified. */
export const DEFAULT_ALLOWLIST = [
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '169.254.0.0/16',
  '0.0.0.0/32',
  '::1/128',
  '::/128',
  'fc00::/7',
  'fe80::/10',
] as const

/** Largest number of distinct label sets per metric; further ones are folded into `other`. */
export const MAX_SERIES_PER_METRIC = 1_000
