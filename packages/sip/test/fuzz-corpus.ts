/**
 * Seed corpus and mutators shared by the fuzz tests (`test/fuzz-*.test.ts`, short runs), the
 * differential tests of the byte parsers and the long fuzz benchmark (`bench/fuzz.ts`, 1M inputs). Everything is deterministic from a numeric seed so a
 * failing input can be replayed.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { corpusDir } from './corpus.js'

const here = path.dirname(fileURLToPath(import.meta.url))

export interface Seed {
  name: string
  bytes: Uint8Array
}

function readDir(dir: string, prefix: string): Seed[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sip'))
    .sort()
    .map((f) => ({ name: `${prefix}/${f}`, bytes: new Uint8Array(readFileSync(path.join(dir, f))) }))
}

/**
 * The seeds: the real captures in `test/fixtures`, the RFC 4475 and RFC 5118 torture messages from
 * `../shared` (relative to the repository root).
 */
export function loadSeeds(): Seed[] {
  return [
    ...readDir(path.join(here, 'fixtures'), 'fixtures'),
    ...readDir(corpusDir('sip-torture'), 'sip-torture'),
    ...readDir(corpusDir('sip-torture-ipv6'), 'sip-torture-ipv6'),
  ]
}

/** Small fast PRNG (mulberry32): same seed, same sequence. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * `count` deterministic mutations of string seeds: each is a seed picked at random with one to three
 * characters inserted (from `chars`), deleted or replaced; the same `seed` gives the same strings.
 */
export function mutateStrings(
  seeds: readonly string[],
  chars: readonly string[],
  count: number,
  seed: number,
): string[] {
  let x = seed
  const rnd = (n: number) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    return x % n
  }
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    let s = seeds[rnd(seeds.length)]!
    for (let k = rnd(3) + 1; k > 0; k--) {
      const p = rnd(s.length + 1)
      const op = rnd(3)
      if (op === 0) s = s.slice(0, p) + chars[rnd(chars.length)] + s.slice(p)
      else if (op === 1) s = s.slice(0, p) + s.slice(p + 1)
      else s = s.slice(0, p) + chars[rnd(chars.length)] + s.slice(p + 1)
    }
    out.push(s)
  }
  return out
}

const enc = new TextEncoder()

const INTERESTING = [
  '\r\n',
  '\r\n\r\n',
  '\n',
  '\r',
  '\0',
  ':',
  ';',
  ',',
  '"',
  '<',
  '>',
  '@',
  '%',
  '%00',
  '\\',
  ' ',
  '\t',
  '\r\n ',
  'Content-Length: 99999999999999999999\r\n',
  'l: -1\r\n',
  'Content-Length: 4\r\n',
  'Via: SIP/2.0/UDP [::1]:5060;branch=z9hG4bK;rport\r\n',
  'CSeq: 4294967296 INVITE\r\n',
  'Max-Forwards: 256\r\n',
  'sip:',
  'sips:[2001:db8::1]:5061',
  'tel:+1-201-555-0123',
  '\xff\xfe',
]

function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0
  for (const p of parts) length += p.length
  const out = new Uint8Array(length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Names of the mutations, in the order `mutate` picks them. */
export const MUTATIONS = [
  'bit-flip',
  'byte-set',
  'truncate',
  'insert-nul',
  'insert-token',
  'delete-range',
  'duplicate-range',
  'huge-header',
  'many-headers',
  'crlf-to-lf',
  'splice',
  'random-bytes',
] as const

/**
 * Returns a mutated copy of `input`: 1 to 4 of the {@link MUTATIONS}, chosen by `rand`.
 * `huge-header` and `many-headers` make inputs larger than the default limits.
 */
export function mutate(input: Uint8Array, rand: () => number, seeds: readonly Seed[]): Uint8Array {
  let out = input
  const rounds = 1 + Math.floor(rand() * 4)
  const pick = (n: number) => Math.floor(rand() * n)
  for (let r = 0; r < rounds; r++) {
    const at = pick(out.length + 1)
    switch (MUTATIONS[pick(MUTATIONS.length)]) {
      case 'bit-flip': {
        if (out.length === 0) break
        out = out.slice()
        const flips = 1 + pick(8)
        for (let i = 0; i < flips; i++) {
          const p = pick(out.length)
          out[p] = out[p]! ^ (1 << pick(8))
        }
        break
      }
      case 'byte-set': {
        if (out.length === 0) break
        out = out.slice()
        out[pick(out.length)] = pick(256)
        break
      }
      case 'truncate':
        out = out.subarray(0, at)
        break
      case 'insert-nul':
        out = concat(out.subarray(0, at), new Uint8Array(1 + pick(16)), out.subarray(at))
        break
      case 'insert-token': {
        const token = enc.encode(INTERESTING[pick(INTERESTING.length)]!.repeat(1 + pick(3)))
        out = concat(out.subarray(0, at), token, out.subarray(at))
        break
      }
      case 'delete-range':
        out = concat(out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + pick(64))))
        break
      case 'duplicate-range': {
        const piece = out.subarray(at, Math.min(out.length, at + 1 + pick(256)))
        out = concat(out.subarray(0, at), piece, piece, out.subarray(at))
        break
      }
      case 'huge-header': {
        const line = enc.encode(`X-Huge: ${'a'.repeat(1000 + pick(70_000))}\r\n`)
        const eol = lineStart(out, at)
        out = concat(out.subarray(0, eol), line, out.subarray(eol))
        break
      }
      case 'many-headers': {
        const line = enc.encode('X-Many: 1\r\n'.repeat(50 + pick(400)))
        const eol = lineStart(out, at)
        out = concat(out.subarray(0, eol), line, out.subarray(eol))
        break
      }
      case 'crlf-to-lf': {
        const text = Buffer.from(out).toString('latin1').replaceAll('\r\n', '\n')
        out = new Uint8Array(Buffer.from(text, 'latin1'))
        break
      }
      case 'splice': {
        const other = seeds[pick(seeds.length)]!.bytes
        out = concat(out.subarray(0, at), other.subarray(pick(other.length + 1)))
        break
      }
      case 'random-bytes': {
        const junk = new Uint8Array(1 + pick(64))
        for (let i = 0; i < junk.length; i++) junk[i] = pick(256)
        out = concat(out.subarray(0, at), junk, out.subarray(at))
        break
      }
    }
  }
  return out
}

/** The start of the line after `at` (so inserted header lines stay lines), or `at` itself. */
function lineStart(bytes: Uint8Array, at: number): number {
  const lf = bytes.indexOf(0x0a, at)
  return lf < 0 ? at : lf + 1
}

/** Splits `bytes` into chunks at random positions (1 to `maxChunks` chunks, some possibly empty). */
export function randomSplit(bytes: Uint8Array, rand: () => number, maxChunks = 16): Uint8Array[] {
  const cuts = new Set<number>()
  const n = Math.floor(rand() * maxChunks)
  for (let i = 0; i < n; i++) cuts.add(Math.floor(rand() * (bytes.length + 1)))
  const sorted = [...cuts].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let prev = 0
  for (const cut of sorted) {
    chunks.push(bytes.subarray(prev, cut))
    prev = cut
  }
  chunks.push(bytes.subarray(prev))
  return chunks
}
