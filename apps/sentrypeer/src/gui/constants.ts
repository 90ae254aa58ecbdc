/**
 * Limits and defaults of the web GUI. The server-side ones are overridable through
 * {@link GuiAssetsInit}; the browser-side ones are compiled into the bundle. All are listed in
 * src/gui/README.md.
 */

/**
 * Content-Security-Policy of every GUI response (W3C CSP Level 3): scripts and styles from this origin
 * only, no inline script or style, no eval, no plugins, no framing, API calls to this origin only.
 */
export const GUI_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * Cache-Control of GUI files: the browser may keep a copy but revalidates it every time (RFC 9111
 * §5.2.2.4), answered by a 304 when the ETag still matches, so an upgraded daemon is never paired
 * with an old script.
 */
export const GUI_CACHE_CONTROL = 'no-cache'

/** Largest GUI file read at startup (bytes); the bundle is about 100 KiB, a bigger file is not ours. */
export const DEFAULT_GUI_MAX_FILE_BYTES = 4 * 1024 * 1024

/** Rows kept in the live feed (newest first); older rows are dropped. */
export const LIVE_FEED_MAX_ROWS = 100

/** Rows per page of the IP and number tables. */
export const TABLE_PAGE_SIZE = 50

/** Recent events shown on an IP or number detail view. */
export const DETAIL_RECENT_EVENTS = 50

/** Entries of the "top" lists on the overview. */
export const TOP_LIST_SIZE = 10

/** Hourly bars of the overview chart (the last 24 hours). */
export const CHART_HOURS = 24

/**
 * The overview counts IPs and numbers from one page of this many (at most the API's `MAX_PAGE_LIMIT`);
 * beyond it the overview shows "≥ 10,000", so a huge store never costs the browser a full download.
 */
export const OVERVIEW_COUNT_CAP = 10_000

/** Lines of a firewall feed shown by its Preview button; the rest is counted, not shown. */
export const FEED_PREVIEW_LINES = 40

/** Wait before the live feed reconnects after the event stream ended or failed (ms). */
export const LIVE_FEED_RETRY_MS = 3_000

/** sessionStorage key of the API token (per tab, gone when the tab closes). */
export const TOKEN_STORAGE_KEY = 'sentrypeer.apiToken'
