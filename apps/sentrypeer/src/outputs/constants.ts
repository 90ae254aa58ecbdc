/**
 * Limits and defaults of the event outputs. Every one is overridable through `OutputsInit` and listed in
 * the app README.
 */

/** Default JSON log file when `-j` is given without `-l`: SentryPeer (C) writes `sentrypeer_json.log`. */
export const DEFAULT_JSON_LOG_FILE = 'sentrypeer_json.log'

/**
 * Bytes the JSON log may buffer in memory while the disk is slow; beyond it lines are dropped and counted
 * (SonicBoom `maxLength`). 16 MiB holds tens of thousands of events.
 */
export const DEFAULT_JSON_LOG_MAX_BUFFER_BYTES = 16 * 1024 * 1024

/**
 * Largest single write(2) of the JSON log. SonicBoom's default (16 KiB) caps a flood at ~17 lines per
 * system call; 1 MiB lets one write drain what piled up while the previous one was in flight.
 */
export const DEFAULT_JSON_LOG_MAX_WRITE_BYTES = 1024 * 1024

/** syslog ident (tag), as SentryPeer (C) `openlog("sentrypeer", ...)`; the Fail2Ban filter matches it. */
export const SYSLOG_IDENT = 'sentrypeer'

/** syslog facility.severity: `auth.notice`, so the lines land in /var/log/auth.log with other auth noise. */
export const DEFAULT_SYSLOG_PRIORITY = 'auth.notice'

/** Local syslog socket (RFC 3164 over a Unix datagram socket, as glibc `syslog(3)`). */
export const DEFAULT_SYSLOG_SOCKET = '/dev/log'

/** The helper process that writes to syslog (util-linux `logger(1)`). */
export const DEFAULT_LOGGER_COMMAND = 'logger'

/**
 * Longest `Agent:` value written to syslog, in characters. `logger` cuts messages at 1 KiB (`-S` default)
 * and RFC 3164 section 4.1 limits a whole packet to 1024 bytes, so a hostile User-Agent must not push the
 * line over it.
 */
export const DEFAULT_SYSLOG_MAX_AGENT_CHARS = 256

/** Longest `Method:` value written to syslog, in characters. */
export const DEFAULT_SYSLOG_MAX_METHOD_CHARS = 32

/** Bytes of syslog lines buffered while the `logger` process is down or slow; beyond it lines are dropped. */
export const DEFAULT_SYSLOG_MAX_BUFFER_BYTES = 1024 * 1024

/** First delay before restarting a dead `logger` process, doubled on each failure. */
export const DEFAULT_SYSLOG_RESTART_MIN_MS = 100

/** Longest delay between `logger` restarts. */
export const DEFAULT_SYSLOG_RESTART_MAX_MS = 30_000

/** Events waiting for the webhook; beyond it new events are dropped and counted. */
export const DEFAULT_WEBHOOK_MAX_QUEUE = 10_000

/** Concurrent webhook POSTs. */
export const DEFAULT_WEBHOOK_CONCURRENCY = 4

/** Attempts per event (first try included) before the event is dropped and counted. */
export const DEFAULT_WEBHOOK_MAX_ATTEMPTS = 5

/** First retry delay; doubled per attempt (exponential backoff, "equal jitter": between d/2 and d). */
export const DEFAULT_WEBHOOK_RETRY_MIN_MS = 500

/** Longest retry delay. */
export const DEFAULT_WEBHOOK_RETRY_MAX_MS = 30_000

/** Timeout of one webhook or token request. */
export const DEFAULT_WEBHOOK_REQUEST_TIMEOUT_MS = 10_000

/** SentryPeer's OAuth2 token endpoint (client-credentials grant), as the C version. */
export const DEFAULT_OAUTH2_TOKEN_URL = 'https://authz.sentrypeer.com/oauth/token'

/** OAuth2 `audience` the C version asks for. */
export const DEFAULT_OAUTH2_AUDIENCE = 'https://sentrypeer.com/api'

/** Token lifetime assumed when the token response has no `expires_in` (RFC 6749 section 5.1: optional). */
export const DEFAULT_OAUTH2_TOKEN_TTL_MS = 5 * 60_000

/** A token is refreshed this long before it expires so a request never carries an expired one. */
export const DEFAULT_OAUTH2_EXPIRY_SKEW_MS = 30_000

/** Largest token response body read, in bytes. */
export const DEFAULT_OAUTH2_MAX_RESPONSE_BYTES = 64 * 1024

/** Bytes the verbose stderr stream may hold unflushed; beyond it verbose lines are dropped. */
export const DEFAULT_VERBOSE_MAX_BUFFER_BYTES = 1024 * 1024

/** Longest time `Outputs.close()` waits for the sinks to drain before it gives up and counts the rest. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000

/** A `logger` process that has run this long is healthy again: the restart backoff starts over. */
export const DEFAULT_SYSLOG_STABLE_MS = 5_000

/**
 * Lines wait this long after a `logger` start before they are handed to it: `logger` exits at once when
 * the socket refuses the connection, and lines already in its pipe would be lost.
 */
export const DEFAULT_SYSLOG_READY_MS = 100

/** Longest source IP written to a syslog line (characters): IPv6 with an embedded IPv4 and a zone. */
export const SYSLOG_MAX_IP_CHARS = 64

/** Longest User-Agent, method and called number written to a `-v` line (characters, escaped). */
export const VERBOSE_MAX_AGENT_CHARS = 256
export const VERBOSE_MAX_METHOD_CHARS = 32
export const VERBOSE_MAX_NUMBER_CHARS = 128
