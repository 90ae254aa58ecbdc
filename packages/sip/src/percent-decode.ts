/** @internal %-unescaping (RFC 3261 §25.1 `escaped`, RFC 3986 §2.1), done exactly once. */

const utf8 = new TextDecoder('utf-8', { ignoreBOM: true })
const encoder = new TextEncoder()

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  const l = c | 32
  if (l >= 97 && l <= 102) return l - 87
  return -1
}

/**
 * Unescape `%HH` sequences; the resulting octets are decoded as UTF-8 (invalid sequences become
 * U+FFFD). Returns undefined when a `%` is not followed by two hex digits.
 */
export function percentDecode(s: string): string | undefined {
  if (s.indexOf('%') === -1) return s
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 37) {
      const h = hex(s.charCodeAt(i + 1))
      const l = hex(s.charCodeAt(i + 2))
      if (h < 0 || l < 0) return undefined
      out.push(h * 16 + l)
      i += 2
    } else if (c < 0x80) out.push(c)
    else {
      const cp = s.codePointAt(i)!
      for (const b of encoder.encode(String.fromCodePoint(cp))) out.push(b)
      if (cp > 0xffff) i++
    }
  }
  return utf8.decode(Uint8Array.from(out))
}
