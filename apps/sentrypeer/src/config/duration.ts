const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/**
 * Parses a duration: a number of milliseconds (`604800000`) or a number with a unit `ms`, `s`, `m`, `h`
 * or `d` (`7d`, `12h`, `90s`). Returns undefined when the text is not a duration.
 *
 * @example
 * parseDuration('7d') // 604800000
 */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text)
  if (!match) return undefined
  const value = Number(match[1]) * (UNITS[match[2] ?? 'ms'] as number)
  return Number.isFinite(value) ? Math.round(value) : undefined
}
