/** RFC 3966 §5.1.1 visual separators ("-", ".", "(", ")") and white space. */
const VISUAL_SEPARATORS = /[\s\-.()]/g

/**
 * The store's default mapping of a called number given to `isBadNumber`/`getNumber` to the stored
 * normalised form: RFC 3966 visual separators and spaces removed. The daemon stores the
 * `calledNumber(message).normalized` of `@sentrypeer/sip`; pass the same function as
 * `StoreInit.normalizeNumber` if it does more.
 *
 * @example
 * ```ts
 * normalizeNumber('+44 (20) 7946-0000') // '+442079460000'
 * ```
 */
export function normalizeNumber(number: string): string {
  return number.replace(VISUAL_SEPARATORS, '')
}
