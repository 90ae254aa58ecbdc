import { CLASS, GEN_VALUE, TOKEN } from './char-classes.js'

/** @internal Result of scanning generic header parameters: the index reached, or an error position. */
export type ParamsScan = { ok: true; end: number } | { ok: false; offset: number; message: string }

export function skipWs(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i)
    if (c !== 32 && c !== 9) break
    i++
  }
  return i
}

export function spanClass(s: string, i: number, flag: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i)
    if (c > 255 || (CLASS[c]! & flag) === 0) break
    i++
  }
  return i
}

/**
 * Scan a quoted-string starting at `s[i] === '"'`. Returns the unescaped content and the index after
 * the closing quote, or undefined when unterminated (RFC 3261 §25.1 quoted-string, quoted-pair).
 */
export function quotedString(s: string, i: number): { value: string; end: number } | undefined {
  let out = ''
  let j = i + 1
  let chunk = j
  while (j < s.length) {
    const c = s.charCodeAt(j)
    if (c === 34) return { value: out + s.slice(chunk, j), end: j + 1 }
    if (c === 92) {
      if (j + 1 >= s.length) return undefined
      out += s.slice(chunk, j) + s[j + 1]
      j += 2
      chunk = j
      continue
    }
    if (c === 13 || c === 10) return undefined
    j++
  }
  return undefined
}

/**
 * Scan `*( SWS ";" SWS name [ SWS "=" SWS gen-value ] )` from `i` to the end of `s` (trailing WS allowed),
 * storing lower-cased names into `params`.
 */
export function scanParams(s: string, i: number, params: Record<string, string | true>): ParamsScan {
  for (;;) {
    i = skipWs(s, i)
    if (i >= s.length) return { ok: true, end: i }
    if (s.charCodeAt(i) !== 59 /* ; */) return { ok: false, offset: i, message: 'expected ";"' }
    i = skipWs(s, i + 1)
    const nameStart = i
    i = spanClass(s, i, TOKEN)
    if (i === nameStart) return { ok: false, offset: nameStart, message: 'empty parameter name' }
    const name = s.slice(nameStart, i).toLowerCase()
    let value: string | true = true
    const afterName = skipWs(s, i)
    if (s.charCodeAt(afterName) === 61 /* = */) {
      i = skipWs(s, afterName + 1)
      if (s.charCodeAt(i) === 34) {
        const q = quotedString(s, i)
        if (q === undefined) return { ok: false, offset: i, message: 'unterminated quoted string' }
        value = q.value
        i = q.end
      } else {
        const vStart = i
        i = spanClass(s, i, GEN_VALUE)
        if (i === vStart) return { ok: false, offset: vStart, message: 'empty parameter value' }
        value = s.slice(vStart, i)
      }
    }
    params[name] = value
  }
}
