import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, LENIENCIES, type Leniency, type SipLimits } from '../src/constants.js'
import { ParseErrorCode } from '../src/errors.js'
import { createFramer, parse, parseUri } from '../src/index.js'
import type { ParseResult } from '../src/types.js'
import { loadSeeds, mutate, prng } from './fuzz-corpus.js'

// The short run; `bench/fuzz.ts` runs the same mutations on 1M inputs.
const seeds = loadSeeds()
const codes = new Set<string>(Object.values(ParseErrorCode))

/** Reads every accessor, so lazy parsing is exercised too (it must not throw either). */
function touch(r: ParseResult): void {
  if (!r.ok) return
  const m = r.message
  void [m.headers.length, m.via, m.from, m.to, m.callId, m.cseq, m.contact, m.userAgent, m.maxForwards]
  void [m.header('via'), m.headerValues('contact'), m.contentType, m.contentLength]
  if (m.kind === 'request') parseUri(m.requestUri)
}

function check(r: ParseResult, input: Uint8Array, limits: SipLimits): void {
  if (r.ok) {
    const m = r.message
    expect(m.raw.length).toBeLessThanOrEqual(Math.min(input.length, limits.maxMessageBytes))
    expect(m.body.length).toBeLessThanOrEqual(limits.maxBodyBytes)
    expect(m.headers.length).toBeLessThanOrEqual(limits.maxHeaders)
  } else {
    expect(codes.has(r.error.code), r.error.code).toBe(true)
    expect(r.error.offset).toBeGreaterThanOrEqual(0)
    expect(r.error.offset).toBeLessThanOrEqual(input.length)
    expect(typeof r.error.message).toBe('string')
  }
}

const limitsArb = fc.oneof(
  fc.constant(undefined),
  fc.record({
    maxMessageBytes: fc.integer({ min: 1, max: 4096 }),
    maxHeaderBytes: fc.integer({ min: 1, max: 2048 }),
    maxHeaders: fc.integer({ min: 1, max: 40 }),
    maxBodyBytes: fc.integer({ min: 1, max: 2048 }),
  }),
)

const lenientArb = fc.oneof(
  fc.constant(undefined),
  fc.constant(Object.fromEntries(LENIENCIES.map((l) => [l, true])) as Partial<Record<Leniency, boolean>>),
  fc.dictionary(fc.constantFrom(...LENIENCIES), fc.boolean()) as fc.Arbitrary<
    Partial<Record<Leniency, boolean>>
  >,
)

describe('parse on mutated real messages', () => {
  it('never throws, returns a known error code or a message within its limits', () => {
    fc.assert(
      fc.property(fc.integer(), limitsArb, lenientArb, (seed, partial, lenient) => {
        const rand = prng(seed)
        const input = mutate(seeds[Math.floor(rand() * seeds.length)]!.bytes, rand, seeds)
        const limits = { ...DEFAULT_LIMITS, ...partial }
        const transport = rand() < 0.5 ? 'datagram' : 'stream'
        const r = parse(input, { transport, limits: partial, lenient })
        touch(r)
        check(r, input, limits)
      }),
      { numRuns: 3000 },
    )
  })

  it('parses what the framer cuts from a mutated stream without throwing', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rand = prng(seed)
        const input = mutate(seeds[Math.floor(rand() * seeds.length)]!.bytes, rand, seeds)
        for (const event of createFramer().push(input)) {
          if (event.type !== 'message') continue
          const r = parse(event.bytes, { transport: 'stream' })
          touch(r)
          check(r, event.bytes, DEFAULT_LIMITS)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('rejects inputs over the limits instead of parsing them', () => {
    const base = seeds.find((s) => s.name === 'fixtures/sipp-uac-invite.sip')!.bytes
    const huge = new Uint8Array(DEFAULT_LIMITS.maxMessageBytes + 1)
    huge.set(base)
    const r = parse(huge)
    expect(r.ok).toBe(false)
    // Bit flips at every position of a real INVITE: each gives a result, none throws.
    for (let i = 0; i < base.length * 8; i++) {
      const copy = base.slice()
      copy[i >> 3] = copy[i >> 3]! ^ (1 << (i & 7))
      check(parse(copy), copy, DEFAULT_LIMITS)
    }
  })
})
