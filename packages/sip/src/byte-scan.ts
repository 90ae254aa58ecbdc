/**
 * @internal Byte-level scanners for header values that are plain ASCII and unfolded (almost all of them):
 * parsing straight from the input bytes is much faster than from strings. `text` is the header section
 * decoded one char per byte and `base` its byte offset, so bytes[a, z) is `text.slice(a - base, z - base)`.
 * Values that are folded or contain bytes >= 0x80 use the string parsers instead; both give equal results
 * (test/byte-scan.test.ts).
 */
import { CLASS, GEN_VALUE, TOKEN } from './char-classes.js'
import { picked, quotedString } from './header-params.js'

export function skipWsB(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!
    if (c !== 32 && c !== 9) break
    i++
  }
  return i
}

export function spanB(b: Uint8Array, i: number, end: number, flag: number): number {
  while (i < end && (CLASS[b[i]!]! & flag) !== 0) i++
  return i
}

/** Message of the last failure of a byte scanner. */
export const scanError = { offset: 0, message: '' }

function fail(offset: number, message: string): number {
  scanError.offset = offset
  scanError.message = message
  return -1
}

/** End of a quoted-string starting at b[i] === '"' (index after the closing quote), or -1. */
export function quotedEndB(b: Uint8Array, i: number, end: number): number {
  for (let j = i + 1; j < end; j++) {
    const c = b[j]!
    if (c === 34) return j + 1
    if (c === 92) j++
    else if (c === 13 || c === 10) return -1
  }
  return -1
}

/** The unescaped content of the quoted-string text[qs - base, qe - base). */
export function quotedValueB(b: Uint8Array, qs: number, qe: number, text: string, base: number): string {
  for (let j = qs + 1; j < qe - 1; j++) {
    if (b[j] === 92) return quotedString(text.slice(qs - base, qe - base), 0)!.value
  }
  return text.slice(qs + 1 - base, qe - 1 - base)
}

/** Which picked parameter the token bytes[s, e) names (0: none, 1 tag, 2 rport, 3 branch, 4 received). */
function pickedId(b: Uint8Array, s: number, e: number): number {
  // Written-out compares (`| 32` lower-cases letters and keeps every other token byte): a loop over a
  // literal's char codes was not inlined here (bench/parse.ts, CPU profile).
  switch (e - s) {
    case 3:
      return (b[s]! | 32) === 116 && (b[s + 1]! | 32) === 97 && (b[s + 2]! | 32) === 103 ? 1 : 0
    case 5:
      return (b[s]! | 32) === 114 &&
        (b[s + 1]! | 32) === 112 &&
        (b[s + 2]! | 32) === 111 &&
        (b[s + 3]! | 32) === 114 &&
        (b[s + 4]! | 32) === 116
        ? 2
        : 0
    case 6:
      return (b[s]! | 32) === 98 &&
        (b[s + 1]! | 32) === 114 &&
        (b[s + 2]! | 32) === 97 &&
        (b[s + 3]! | 32) === 110 &&
        (b[s + 4]! | 32) === 99 &&
        (b[s + 5]! | 32) === 104
        ? 3
        : 0
    case 8:
      return (b[s]! | 32) === 114 &&
        (b[s + 1]! | 32) === 101 &&
        (b[s + 2]! | 32) === 99 &&
        (b[s + 3]! | 32) === 101 &&
        (b[s + 4]! | 32) === 105 &&
        (b[s + 5]! | 32) === 118 &&
        (b[s + 6]! | 32) === 101 &&
        (b[s + 7]! | 32) === 100
        ? 4
        : 0
    default:
      return 0
  }
}

/**
 * Scan generic parameters from `i` to `end` like `scanParams` (without a params object): fills `picked`.
 * Returns the end index, or -1 (see {@link scanError}). Only the values of the picked parameters are
 * sliced; the others are checked and skipped.
 */
export function scanParamsB(b: Uint8Array, i: number, end: number, text: string, base: number): number {
  picked.tag = undefined
  picked.branch = undefined
  picked.rport = undefined
  picked.received = undefined
  for (;;) {
    i = skipWsB(b, i, end)
    if (i >= end) return i
    if (b[i] !== 59) return fail(i, 'expected ";"')
    i = skipWsB(b, i + 1, end)
    const nameStart = i
    i = spanB(b, i, end, TOKEN)
    const nameEnd = i
    if (nameEnd === nameStart) return fail(nameStart, 'empty parameter name')
    const id = pickedId(b, nameStart, nameEnd)
    let value: string | true = true
    const afterName = skipWsB(b, i, end)
    if (b[afterName] === 61 && afterName < end) {
      i = skipWsB(b, afterName + 1, end)
      if (b[i] === 34 && i < end) {
        const q = quotedEndB(b, i, end)
        if (q < 0) return fail(i, 'unterminated quoted string')
        if (id !== 0) value = quotedValueB(b, i, q, text, base)
        i = q
      } else {
        const vStart = i
        i = spanB(b, i, end, GEN_VALUE)
        if (i === vStart) return fail(vStart, 'empty parameter value')
        if (id !== 0) value = text.slice(vStart - base, i - base)
      }
    }
    if (id === 1) picked.tag = value
    else if (id === 2) picked.rport = value
    else if (id === 3) picked.branch = value
    else if (id === 4) picked.received = value
  }
}

/**
 * Split bytes[start, end) on commas outside quoted strings and `<>` like `splitList`: returns the
 * trimmed element bounds as [s0, e0, s1, e1, ...].
 */
export function splitListB(b: Uint8Array, start: number, end: number): number[] {
  const out: number[] = []
  let s = start
  let inQuote = false
  let inAngle = false
  for (let i = start; i < end; i++) {
    const c = b[i]!
    if (inQuote) {
      if (c === 92) i++
      else if (c === 34) inQuote = false
    } else if (c === 34) inQuote = true
    else if (c === 60) inAngle = true
    else if (c === 62) inAngle = false
    else if (c === 44 && !inAngle) {
      pushTrimmed(b, s, i, out)
      s = i + 1
    }
  }
  pushTrimmed(b, s, end, out)
  return out
}

function pushTrimmed(b: Uint8Array, s: number, e: number, out: number[]): void {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--
  out.push(s, e)
}
