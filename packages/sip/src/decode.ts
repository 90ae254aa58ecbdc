/** @internal Decoding byte ranges to strings. */

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })

/** Decode bytes[start, end) as UTF-8 (invalid sequences become U+FFFD), with an ASCII fast path. */
export function decode(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start
  if (n <= 0) return ''
  if (n <= 48) {
    let s = ''
    for (let i = start; i < end; i++) {
      const b = bytes[i]!
      if (b >= 0x80) return utf8.decode(bytes.subarray(start, end))
      s += String.fromCharCode(b)
    }
    return s
  }
  return utf8.decode(bytes.subarray(start, end))
}

/**
 * Decode a header value that contains folded lines: each CRLF (or LF) followed by SP/HT runs is
 * replaced by one SP (RFC 3261 §7.3.1).
 */
export function decodeFolded(bytes: Uint8Array, start: number, end: number): string {
  const text = decode(bytes, start, end)
  return text.replace(/[ \t]*\r?\n[ \t]+/g, ' ')
}
