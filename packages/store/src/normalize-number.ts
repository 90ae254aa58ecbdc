/** RFC 3966 §5.1.1 visual separators ("-", ".", "(", ")") and white space. */
const VISUAL_SEPARATORS = /[\s\-.()]/g
/** A phone-number-like user: digits, `*`, `#`, an optional leading `+`. */
const PHONE = /^\+?[0-9*#]+$/

/**
 * The store's default mapping of a called number given to `isBadNumber`/`getNumber` (and of an imported
 * SentryPeer `called_number`) to the stored normalised form. It follows `calledNumber().normalized` of
 * `@sentrypeer/sip`: for a phone-number-like text, user parameters (`;isub=...`) and RFC 3966 visual
 * separators are dropped; any other text (`alice`) is returned unchanged. Pass your own function as
 * `StoreInit.normalizeNumber` if your numbers need more (the exact text is always tried first).
 *
 * @example
 * ```ts
 * normalizeNumber('+44 (20) 7946-0000') // '+442079460000'
 * normalizeNumber('alice.smith') // 'alice.smith'
 * ```
 */
export function normalizeNumber(number: string): string {
  const semi = number.indexOf(';')
  const main = semi === -1 ? number : number.slice(0, semi)
  const compact = main.replace(VISUAL_SEPARATORS, '')
  return PHONE.test(compact) ? compact : number
}
