import { CLASS, GEN_VALUE, TOKEN } from './char-classes.js'

/**
 * @internal Values of the parameters `parse` needs eagerly, filled by `scanParams` when it is called
 * without a params object (the full object is then built only on first access).
 */
export const picked: {
  tag: string | true | undefined
  branch: string | true | undefined
  rport: string | true | undefined
  received: string | true | undefined
} = { tag: undefined, branch: undefined, rport: undefined, received: undefined }

/** @internal Message of the last `scanParams` failure. */
export let paramsError = ''

function eqLower(s: string, start: number, end: number, lit: string): boolean {
  if (end - start !== lit.length) return false
  for (let i = 0; i < lit.length; i++) {
    if ((s.charCodeAt(start + i) | 32) !== lit.charCodeAt(i)) return false
  }
  return true
}

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
 * Scan `*( SWS ";" SWS name [ SWS "=" SWS gen-value ] )` from `i` to the end of `s` (trailing WS allowed).
 * With `params`, stores every parameter (names lower-cased, the last of a repeated name wins); without,
 * only fills {@link picked}. Returns the end index, or `-1 - offset` on a syntax error ({@link paramsError}).
 */
export function scanParams(s: string, i: number, params?: Record<string, string | true>): number {
  if (params === undefined) {
    picked.tag = undefined
    picked.branch = undefined
    picked.rport = undefined
    picked.received = undefined
  }
  const n = s.length
  for (;;) {
    i = skipWs(s, i)
    if (i >= n) return i
    if (s.charCodeAt(i) !== 59 /* ; */) {
      paramsError = 'expected ";"'
      return -1 - i
    }
    i = skipWs(s, i + 1)
    const nameStart = i
    let upper = false
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c > 255 || (CLASS[c]! & TOKEN) === 0) break
      if (c >= 65 && c <= 90) upper = true
      i++
    }
    const nameEnd = i
    if (nameEnd === nameStart) {
      paramsError = 'empty parameter name'
      return -1 - nameStart
    }
    let value: string | true = true
    const afterName = skipWs(s, i)
    if (s.charCodeAt(afterName) === 61 /* = */) {
      i = skipWs(s, afterName + 1)
      if (s.charCodeAt(i) === 34) {
        const q = quotedString(s, i)
        if (q === undefined) {
          paramsError = 'unterminated quoted string'
          return -1 - i
        }
        value = q.value
        i = q.end
      } else {
        const vStart = i
        i = spanClass(s, i, GEN_VALUE)
        if (i === vStart) {
          paramsError = 'empty parameter value'
          return -1 - vStart
        }
        value = s.slice(vStart, i)
      }
    }
    if (params !== undefined) {
      const name = s.slice(nameStart, nameEnd)
      params[upper ? name.toLowerCase() : name] = value
    } else {
      switch (nameEnd - nameStart) {
        case 3:
          if (eqLower(s, nameStart, nameEnd, 'tag')) picked.tag = value
          break
        case 5:
          if (eqLower(s, nameStart, nameEnd, 'rport')) picked.rport = value
          break
        case 6:
          if (eqLower(s, nameStart, nameEnd, 'branch')) picked.branch = value
          break
        case 8:
          if (eqLower(s, nameStart, nameEnd, 'received')) picked.received = value
          break
      }
    }
  }
}
