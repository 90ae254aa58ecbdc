const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/

/**
 * Parses SentryPeer's `event_timestamp` text (UTC, nanoseconds: `'2022-03-10 12:34:56.123456789'`) to
 * ms since the epoch. Returns `undefined` for anything else, including impossible dates.
 */
export function parseSentryPeerTimestamp(text: string): number | undefined {
  if (typeof text !== 'string') return undefined
  const m = TIMESTAMP.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(9, '0').slice(0, 3))
  const time = Date.UTC(year, month - 1, day, hour, minute, second, ms)
  const date = new Date(time)
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  ) {
    return undefined
  }
  return time
}

/** Formats ms since the epoch as SentryPeer does (`'2022-03-10 12:34:56.123000000'`, UTC). */
export function formatSentryPeerTimestamp(time: number): string {
  const iso = new Date(time).toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000000`
}
