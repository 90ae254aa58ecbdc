/** @internal Decoding byte ranges to strings. */

type Slice = (this: Uint8Array, start: number, end: number) => string

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
// Node's Buffer#utf8Slice works on any Uint8Array and is the fastest decoder there; elsewhere TextDecoder.
const nodeSlice: Slice | undefined = (globalThis as { Buffer?: { prototype: { utf8Slice?: Slice } } }).Buffer
  ?.prototype.utf8Slice

/** Decode bytes[start, end) as UTF-8 (invalid sequences become U+FFFD; a BOM is kept). */
export const decode: (bytes: Uint8Array, start: number, end: number) => string =
  typeof nodeSlice === 'function'
    ? (bytes, start, end) => (end > start ? nodeSlice.call(bytes, start, end) : '')
    : (bytes, start, end) => (end > start ? utf8.decode(bytes.subarray(start, end)) : '')

const nodeLatin1: Slice | undefined = (globalThis as { Buffer?: { prototype: { latin1Slice?: Slice } } })
  .Buffer?.prototype.latin1Slice
const latin1Decoder = new TextDecoder('latin1')

/**
 * Decode bytes[start, end) one char per byte (for ranges known to be ASCII, and for header sections whose
 * char offsets must equal byte offsets).
 */
export const latin1: (bytes: Uint8Array, start: number, end: number) => string =
  typeof nodeLatin1 === 'function'
    ? (bytes, start, end) => (end > start ? nodeLatin1.call(bytes, start, end) : '')
    : (bytes, start, end) => (end > start ? latin1Decoder.decode(bytes.subarray(start, end)) : '')

/**
 * Unfold a header value (RFC 3261 §7.3.1): each line break (CRLF, or LF under `bareLf`) followed by
 * SP/HT, with the whitespace around it, becomes one SP. Linear time (a regex with `[ \t]*` before the
 * line break backtracks quadratically on long whitespace runs).
 */
export function unfold(s: string): string {
  let out = ''
  let chunk = 0
  let i = 0
  const n = s.length
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === 13 || c === 10) {
      let j = c === 13 && s.charCodeAt(i + 1) === 10 ? i + 2 : i + 1
      const w = s.charCodeAt(j)
      if (w === 32 || w === 9) {
        let k = i
        while (k > chunk && (s.charCodeAt(k - 1) === 32 || s.charCodeAt(k - 1) === 9)) k--
        out += `${s.slice(chunk, k)} `
        while (j < n && (s.charCodeAt(j) === 32 || s.charCodeAt(j) === 9)) j++
        chunk = j
        i = j
        continue
      }
    }
    i++
  }
  return chunk === 0 ? s : out + s.slice(chunk)
}
