/**
 * Long fuzz run: mutated real messages (bit flips, truncations, NULs, huge headers, splices, ...) through
 * `parse` (datagram) and through the stream framer (random splits) followed by `parse(..., 'stream')`.
 * Counts inputs, throws and limit violations, and the time per input (slow ones re-timed). Deterministic: the input
 * number is the PRNG seed, so `FUZZ_REPLAY=<n>` prints input n.
 *
 * Run: `npx -y pnpm@12.21.0 --filter @sentrypeer/sip bench` (or `bench:fuzz` after a build).
 * Options: FUZZ_INPUTS (default 1000000), FUZZ_SEED (default 1), SIP_DIST (module to test, default dist/).
 */
import type { SipLimits } from '../src/constants.js'
import type { ParseOptions, ParseResult } from '../src/types.js'
import { loadSeeds, mutate, prng, randomSplit } from '../test/fuzz-corpus.js'

type ParseFn = (bytes: Uint8Array, options?: ParseOptions) => ParseResult
interface FramerLike {
  push(chunk: Uint8Array): Array<{ type: string; bytes?: Uint8Array }>
  readonly buffered: number
}

const INPUTS = Number(process.env.FUZZ_INPUTS ?? 1_000_000)
const BASE_SEED = Number(process.env.FUZZ_SEED ?? 1)
const REPLAY = process.env.FUZZ_REPLAY

// SIP_DIST: another build of the package to fuzz (a module path or URL); default the package's dist/.
const mod = (await import(process.env.SIP_DIST ?? ('../dist/index.js' as string))) as {
  parse?: ParseFn
  createFramer?: () => FramerLike
  DEFAULT_LIMITS: SipLimits
}
const parse = mod.parse
if (!mod.createFramer) throw new Error('build first: dist/ has no createFramer')
const createFramer: () => FramerLike = mod.createFramer
if (!parse) console.log('note: parse() not in dist/ yet: framer only\n')

const seeds = loadSeeds()
const inputFor = (n: number): Uint8Array => {
  const rand = prng(BASE_SEED * 1_000_003 + n)
  return mutate(seeds[Math.floor(rand() * seeds.length)]!.bytes, rand, seeds)
}

if (REPLAY !== undefined) {
  const bytes = inputFor(Number(REPLAY))
  console.log(JSON.stringify(Buffer.from(bytes).toString('latin1')))
  process.exit(0)
}

const limits = mod.DEFAULT_LIMITS
let throwsParse = 0
let throwsFramer = 0
let violations = 0
let ok = 0
let totalBytes = 0
let framed = 0
const codes = new Map<string, number>()
const firstProblems: string[] = []
const problem = (text: string) => {
  if (firstProblems.length < 10) firstProblems.push(text)
}

function checkResult(r: ParseResult, input: Uint8Array, n: number): void {
  if (r.ok) {
    ok++
    const m = r.message
    if (
      m.raw.length > limits.maxMessageBytes ||
      m.body.length > limits.maxBodyBytes ||
      m.raw.length > input.length
    ) {
      violations++
      problem(`input ${n}: message over a limit`)
    }
  } else {
    codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1)
    if (!(r.error.offset >= 0 && r.error.offset <= input.length) || typeof r.error.message !== 'string') {
      violations++
      problem(`input ${n}: bad error ${JSON.stringify(r.error)}`)
    }
  }
}

/** One input through parse (datagram) and framer + parse (stream). */
function runOne(input: Uint8Array, n: number): void {
  if (parse) {
    try {
      checkResult(parse(input), input, n)
    } catch (error) {
      throwsParse++
      problem(`input ${n}: parse threw ${String(error)}`)
    }
  }
  try {
    const framer = createFramer()
    for (const chunk of randomSplit(input, prng(n), 8)) {
      for (const event of framer.push(chunk)) {
        if (event.type === 'message' && event.bytes) {
          framed++
          if (event.bytes.length > limits.maxMessageBytes) violations++
          if (parse) {
            try {
              checkResult(parse(event.bytes, { transport: 'stream' }), event.bytes, n)
            } catch (error) {
              throwsParse++
              problem(`input ${n}: parse (stream) threw ${String(error)}`)
            }
          }
        }
      }
      if (framer.buffered > limits.maxMessageBytes) violations++
    }
  } catch (error) {
    throwsFramer++
    problem(`input ${n}: framer threw ${String(error)}`)
  }
}

const times = new Float64Array(INPUTS)
/**
 * Inputs slower than SLOW_MS, re-timed after the run: on a shared machine single outliers are GC or JIT
 * pauses, an input that is slow again is really slow.
 */
const SLOW_MS = 1
const MAX_RETIMED = 20_000
const slow: number[] = []
const started = performance.now()
for (let n = 0; n < INPUTS; n++) {
  const input = inputFor(n)
  totalBytes += input.length
  const t0 = performance.now()
  runOne(input, n)
  const ms = performance.now() - t0
  times[n] = ms
  if (ms > SLOW_MS && slow.length < MAX_RETIMED) slow.push(n)
}
const seconds = (performance.now() - started) / 1000
const sorted = times.slice().sort()
const pct = (p: number): string => `${sorted[Math.min(INPUTS - 1, Math.floor(INPUTS * p))]!.toFixed(3)} ms`
const over10 = sorted.filter((t) => t > 10).length
// Re-time the slow inputs: best of 3 runs each.
let retimed = 0
let retimedInput = -1
let stillSlow = 0
for (const n of slow) {
  const input = inputFor(n)
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now()
    runOne(input, n)
    best = Math.min(best, performance.now() - t0)
  }
  if (best > SLOW_MS) stillSlow++
  if (best > retimed) {
    retimed = best
    retimedInput = n
  }
}
console.log(`Node ${process.version}; ${INPUTS.toLocaleString('en-US')} inputs from ${seeds.length} seeds`)
console.log(
  '| inputs | parse throws | framer throws | limit/shape violations | parsed ok | framed messages | wall time |',
)
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
console.log(
  `| ${INPUTS.toLocaleString('en-US')} | ${parse ? throwsParse : 'n/a'} | ${throwsFramer} | ${violations} | ${parse ? ok.toLocaleString('en-US') : 'n/a'} | ${framed.toLocaleString('en-US')} | ${seconds.toFixed(0)} s |`,
)
console.log()
console.log('time per input (parse + framer + parse of framed messages):')
console.log(
  `  median ${pct(0.5)}, p99 ${pct(0.99)}, p99.9 ${pct(0.999)}, max ${sorted[INPUTS - 1]!.toFixed(2)} ms`,
)
console.log(`  inputs over 10 ms: ${over10}`)
console.log(
  `  the ${slow.length} inputs over ${SLOW_MS} ms re-timed (best of 3): ${stillSlow} still over ${SLOW_MS} ms, ` +
    `slowest ${retimed.toFixed(3)} ms (input ${retimedInput}, FUZZ_REPLAY=${retimedInput})`,
)
console.log(`mean input ${Math.round(totalBytes / INPUTS)} bytes`)
if (parse) {
  const top = [...codes].sort((a, b) => b[1] - a[1]).map(([c, k]) => `${c} ${k.toLocaleString('en-US')}`)
  console.log(`error codes: ${top.join(', ')}`)
}
for (const p of firstProblems) console.log(`PROBLEM ${p}`)
if (throwsParse + throwsFramer + violations > 0) process.exitCode = 1
