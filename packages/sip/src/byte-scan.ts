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

function eqLowerB(b: Uint8Array, start: number, lit: string): boolean {
  for (let i = 0; i < lit.length; i++) if ((b[start + i]! | 32) !== lit.charCodeAt(i)) return false
  return true
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

/**
 * Scan generic parameters from `i` to `end` like `scanParams` (without a params object): fills `picked`.
 * Returns the end index, or -1 (see {@link scanError}).
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
    let value: string | true = true
    const afterName = skipWsB(b, i, end)
    if (b[afterName] === 61 && afterName < end) {
      i = skipWsB(b, afterName + 1, end)
      if (b[i] === 34 && i < end) {
        const q = quotedEndB(b, i, end)
        if (q < 0) return fail(i, 'unterminated quoted string')
        value = quotedValueB(b, i, q, text, base)
        i = q
      } else {
        const vStart = i
        i = spanB(b, i, end, GEN_VALUE)
        if (i === vStart) return fail(vStart, 'empty parameter value')
        value = text.slice(vStart - base, i - base)
      }
    }
    switch (nameEnd - nameStart) {
      case 3:
        if (eqLowerB(b, nameStart, 'tag')) picked.tag = value
        break
      case 5:
        if (eqLowerB(b, nameStart, 'rport')) picked.rport = value
        break
      case 6:
        if (eqLowerB(b, nameStart, 'branch')) picked.branch = value
        break
      case 8:
        if (eqLowerB(b, nameStart, 'received')) picked.received = value
        break
    }
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
