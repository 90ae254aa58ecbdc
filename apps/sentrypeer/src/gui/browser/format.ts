/** Display formats of the GUI: UTC times (security teams correlate logs in UTC) and grouped counts. */

/** `2026-11-21T10:00:00.000Z` -> `2026-11-21 10:00:00Z`; anything else is shown as given. */
export function formatTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z` : iso
}

/** `12345` -> `12,345`. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-GB')
}
