/**
 * Limits and defaults shared by the API server and the client. Each one can be overridden where it is
 * used (server options, client options); these are the defaults.
 */

/** Page size used when a list request carries `limit` without a value the server accepts. */
export const DEFAULT_PAGE_LIMIT = 100

/** Largest `limit` a list request may ask for. Bigger pages are what the unpaged (streamed) list is for. */
export const MAX_PAGE_LIMIT = 10_000

/** Longest opaque paging cursor accepted (cursors we issue are far shorter). */
export const MAX_CURSOR_LENGTH = 512

/**
 * Longest called number accepted on `/numbers/{number}`. E.164 numbers have at most 15 digits (ITU-T
 * E.164 section 6.1); dial strings seen by honeypots carry prefixes, so we allow a generous 64.
 */
export const MAX_NUMBER_LENGTH = 64

/**
 * Number of recent events returned in the per-IP and per-number detail responses by default: none, so
 * `GET /ip-addresses/{ip}` answers what SentryPeer in C answers (the summary) at the speed of an index
 * look-up; ask for events with `recent=N`.
 */
export const DEFAULT_RECENT_EVENTS = 0

/** Largest `recent` value on detail routes. */
export const MAX_RECENT_EVENTS = 1_000

/** Client request timeout when the caller gives neither `timeoutMs` nor a signal. */
export const DEFAULT_TIMEOUT_MS = 10_000

/** Reason a request was aborted by the client's own timeout (the `DOMException` name). */
export const TIMEOUT_ERROR_NAME = 'TimeoutError'

/** Page size `iterateIpAddresses` asks for when the query carries no `limit`. */
export const DEFAULT_ITERATE_PAGE_LIMIT = 1_000
