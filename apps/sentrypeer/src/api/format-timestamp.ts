const DAY_MS = 86_400_000
/** Last ms epoch whose ISO form has a 4-digit year (9999-12-31T23:59:59.999Z). */
const MAX_PLAIN_YEAR_MS = 253_402_300_799_999

let cachedDay = Number.NaN
let cachedPrefix = ''

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`
}

/**
 * `new Date(ms).toISOString()`, about four times faster for the long lists the API streams: the
 * `YYYY-MM-DDT` prefix is cached per day and the time of day is formatted arithmetically.
 */
export function formatTimestamp(ms: number): string {
  if (!(ms >= 0 && ms <= MAX_PLAIN_YEAR_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString()
  const day = Math.floor(ms / DAY_MS)
  if (day !== cachedDay) {
    cachedDay = day
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11)
  }
  let rest = ms - day * DAY_MS
  const h = Math.floor(rest / 3_600_000)
  rest -= h * 3_600_000
  const m = Math.floor(rest / 60_000)
  rest -= m * 60_000
  const s = Math.floor(rest / 1000)
  const milli = rest - s * 1000
  return `${cachedPrefix}${pad2(h)}:${pad2(m)}:${pad2(s)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`
}
