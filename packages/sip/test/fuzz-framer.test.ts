import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../src/constants.js'
import { createFramer, type FramerEvent, type FramerInit } from '../src/framer.js'
import { loadSeeds, mutate, prng, randomSplit } from './fuzz-corpus.js'

const seeds = loadSeeds()
const fixtures = seeds.filter((s) => s.name.startsWith('fixtures/'))
const enc = new TextEncoder()

/** Events in a comparable form (message bytes as latin1 text). */
function show(events: FramerEvent[]): unknown[] {
  return events.map((e) => (e.type === 'message' ? { m: Buffer.from(e.bytes).toString('latin1') } : e))
}

function run(chunks: Uint8Array[], init?: FramerInit, maxBuffered = Number.POSITIVE_INFINITY): FramerEvent[] {
  const framer = createFramer(init)
  const events: FramerEvent[] = []
  for (const chunk of chunks) {
    events.push(...framer.push(chunk))
    if (framer.buffered > maxBuffered) throw new Error(`buffered ${framer.buffered} > ${maxBuffered}`)
  }
  return events
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts))
}

/** A valid stream message with an arbitrary body (CRLFs included) and one of the Content-Length spellings. */
const generatedMessage = fc
  .record({
    body: fc.uint8Array({ maxLength: 300 }),
    form: fc.constantFrom('Content-Length: %d', 'l:%d', 'CONTENT-length :  %d ', 'Content-Length:\r\n %d'),
    response: fc.boolean(),
    extra: fc.array(fc.constantFrom('Subject: x', 'X-A: \r\n folded', 'Accept: */*', 'Call-ID: 1@h'), {
      maxLength: 5,
    }),
  })
  .map(({ body, form, response, extra }) => {
    const start = response ? 'SIP/2.0 200 OK' : 'MESSAGE sip:100@127.0.0.1 SIP/2.0'
    const head = [start, ...extra, form.replace('%d', String(body.length)), '', ''].join('\r\n')
    return concat([enc.encode(head), body])
  })

const message = fc.oneof(fc.constantFrom(...fixtures.map((f) => f.bytes)), generatedMessage)

/** A stream: messages, each preceded by 0..5 CRLFs, and 0..5 CRLFs at the end. */
const stream = fc.record({
  items: fc.array(fc.record({ crlfs: fc.nat({ max: 5 }), message }), { minLength: 1, maxLength: 8 }),
  trailing: fc.nat({ max: 5 }),
})

describe('framer properties', () => {
  it('gives the same events for any split of a stream of valid messages and keep-alives', () => {
    fc.assert(
      fc.property(stream, fc.integer(), ({ items, trailing }, splitSeed) => {
        const parts: Uint8Array[] = []
        const expected: unknown[] = []
        for (const { crlfs, message } of items) {
          parts.push(enc.encode('\r\n'.repeat(crlfs)), message)
          for (let i = 0; i < Math.floor(crlfs / 2); i++) expected.push({ type: 'keepalive', kind: 'ping' })
          if (crlfs % 2 === 1) expected.push({ type: 'keepalive', kind: 'pong' })
          expected.push({ m: Buffer.from(message).toString('latin1') })
        }
        parts.push(enc.encode('\r\n'.repeat(trailing)))
        // A trailing lone CRLF stays undecided (it may be the start of a ping).
        for (let i = 0; i < Math.floor(trailing / 2); i++) expected.push({ type: 'keepalive', kind: 'ping' })
        const input = concat(parts)
        const whole = show(run([input]))
        expect(whole).toEqual(expected)
        expect(show(run(randomSplit(input, prng(splitSeed), 64)))).toEqual(whole)
        expect(show(run([...input].map((b) => Uint8Array.of(b))))).toEqual(whole)
      }),
      { numRuns: 300 },
    )
  })

  it('never throws, respects its limits and is split-invariant on mutated input', () => {
    const limitsArb = fc.oneof(
      fc.constant(undefined),
      fc.record({
        maxMessageBytes: fc.integer({ min: 1, max: 4096 }),
        maxHeaderBytes: fc.integer({ min: 1, max: 2048 }),
        maxHeaders: fc.integer({ min: 1, max: 40 }),
        maxBodyBytes: fc.integer({ min: 1, max: 2048 }),
      }),
    )
    fc.assert(
      fc.property(fc.integer(), fc.integer(), limitsArb, (mutationSeed, splitSeed, limits) => {
        const rand = prng(mutationSeed)
        const count = 1 + Math.floor(rand() * 3)
        const parts: Uint8Array[] = []
        for (let i = 0; i < count; i++) {
          parts.push(mutate(seeds[Math.floor(rand() * seeds.length)]!.bytes, rand, seeds))
        }
        const input = concat(parts)
        const init = limits ? { limits } : undefined
        const max = limits?.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes
        const whole = run([input], init, max)
        const split = run(randomSplit(input, prng(splitSeed), 32), init, max)
        expect(show(split)).toEqual(show(whole))
        // Messages are consecutive slices of the input with only CR/LF (keep-alives) between them.
        let at = 0
        for (const e of whole) {
          if (e.type !== 'message') continue
          while (input[at] === 0x0d || input[at] === 0x0a) at++
          expect(Buffer.from(e.bytes).equals(input.subarray(at, at + e.bytes.length))).toBe(true)
          at += e.bytes.length
        }
        const errors = whole.filter((e) => e.type === 'error')
        expect(errors.length).toBeLessThanOrEqual(1)
        if (errors.length === 1) expect(whole.at(-1)?.type).toBe('error')
        for (const e of whole) {
          if (e.type === 'message') expect(e.bytes.length).toBeLessThanOrEqual(max)
          if (e.type === 'error') {
            expect(e.error.offset).toBeGreaterThanOrEqual(0)
            expect(e.error.offset).toBeLessThan(input.length)
          }
        }
      }),
      { numRuns: 400 },
    )
  })
})
