/**
 * @internal Split a header value on commas outside quoted strings and `<>` (RFC 3261 §7.3.1).
 * Returns the trimmed elements, empty ones included (callers decide whether those are errors).
 */
export function splitList(value: string): string[] {
  const out: string[] = []
  let start = 0
  let inQuote = false
  let inAngle = false
  const n = value.length
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i)
    if (inQuote) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inQuote = false
    } else if (c === 34) inQuote = true
    else if (c === 60 /* < */) inAngle = true
    else if (c === 62 /* > */) inAngle = false
    else if (c === 44 /* , */ && !inAngle) {
      out.push(value.slice(start, i).trim())
      start = i + 1
    }
  }
  out.push(value.slice(start).trim())
  return out
}
