/**
 * Parser throughput: @sentrypeer/sip against the parsers of the npm packages `sip`, `sip.js` and `jssip`
 * on the same messages, in one process, interleaved (round-robin rounds, the contender order rotating
 * each round). Prints a Markdown table of the median messages/second per contender and message.
 *
 * Run: `npx -y pnpm@12.21.0 --filter @sentrypeer/sip bench` (builds dist/ first).
 * Options: ROUNDS (default 25), SLICE_MS (default 40), SIP_DIST (module to test, default dist/),
 * SIP_BASE (another build of the package, e.g. of an earlier commit: timed in the same rounds, with a
 * column of our rate over its rate, to judge a change on a loaded machine; it is not an "other" parser).
 *
 * Instruction counts (repeatable on a loaded machine, unlike times): INSTR_MESSAGE=<index into the
 * corpus> INSTR_N=<n> warms up with 30,000 parses of that message through our adapter, then runs n more
 * and exits; run it under `valgrind --tool=cachegrind --cache-sim=no` with n = 0 and n = 20000 and divide
 * the difference of the `I refs` by 20,000 (see docs/benchmarks.md).
 */

import { availableParallelism, cpus } from 'node:os'
import { isDeepStrictEqual } from 'node:util'
import {
  type Contender,
  comparable,
  jssipContender,
  loadSentrypeer,
  sentrypeerContender,
  sipContender,
  sipJsContender,
} from './contenders.js'
import { BENCH_MESSAGES } from './corpus.js'

const ROUNDS = Number(process.env.ROUNDS ?? 25)
const SLICE_MS = Number(process.env.SLICE_MS ?? 40)

const ours = await loadSentrypeer()
let base: Contender | undefined
if (process.env.SIP_BASE) {
  const mod = (await import(process.env.SIP_BASE)) as { parse: Parameters<typeof sentrypeerContender>[0] }
  base = { ...sentrypeerContender(mod.parse), name: '@sentrypeer/sip SIP_BASE' }
}
if (process.env.INSTR_MESSAGE !== undefined && ours) {
  const bytes = BENCH_MESSAGES[Number(process.env.INSTR_MESSAGE)]!.bytes
  const n = Number(process.env.INSTR_N ?? 0)
  let s = 0
  for (let i = 0; i < 30_000 + n; i++) s += ours.parse(bytes)?.callId?.length ?? 0
  if (s === -1) console.log(s)
  process.exit(0)
}
const others: Contender[] = [sipContender, sipJsContender, jssipContender]
const contenders: Contender[] = [...(ours ? [ours] : []), ...(base ? [base] : []), ...others]
if (!ours) console.log('note: @sentrypeer/sip parse() not found in dist/ (build first); competitors only\n')

// 1. Same fields: every contender must return the same values for every message.
let sink = 0
const mismatches: string[] = []
for (const message of BENCH_MESSAGES) {
  const reference = comparable(contenders[0]!.parse(message.bytes))
  for (const c of contenders) {
    const got = comparable(c.parse(message.bytes))
    if (!got) {
      mismatches.push(`${c.name} rejects ${message.name}`)
      continue
    }
    for (const key of Object.keys(reference ?? {})) {
      if (!isDeepStrictEqual(got[key], reference?.[key])) {
        mismatches.push(
          `${message.name}: ${c.name} ${key}=${JSON.stringify(got[key])} vs ${JSON.stringify(reference?.[key])}`,
        )
      }
    }
  }
}
if (mismatches.length > 0) {
  console.log('field differences (first contender is the reference):')
  for (const m of mismatches) console.log(`  ${m}`)
  console.log()
}

// 2. Interleaved timing.
function slice(c: Contender, bytes: Buffer): number {
  const deadline = performance.now() + SLICE_MS
  let n = 0
  let now = performance.now()
  while (now < deadline) {
    for (let i = 0; i < 64; i++) {
      const f = c.parse(bytes)
      sink += f?.callId?.length ?? 0
    }
    n += 64
    now = performance.now()
  }
  return n / ((now - deadline + SLICE_MS) / 1000)
}

const rates = new Map<string, number[]>()
const key = (c: Contender, m: (typeof BENCH_MESSAGES)[number]) => `${c.name}\0${m.name}`
// Warm-up round, not recorded.
for (const m of BENCH_MESSAGES) for (const c of contenders) slice(c, m.bytes)
for (let round = 0; round < ROUNDS; round++) {
  for (const m of BENCH_MESSAGES) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + round) % contenders.length]!
      const rate = slice(c, m.bytes)
      const list = rates.get(key(c, m)) ?? []
      list.push(rate)
      rates.set(key(c, m), list)
    }
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US')

const header = ['message', 'bytes', ...contenders.map((c) => c.name)]
if (ours) header.push('ours / fastest other (median of per-round ratios)')
if (ours && base) header.push('ours / SIP_BASE')
const rows: string[][] = []
for (const m of BENCH_MESSAGES) {
  const medians = contenders.map((c) => median(rates.get(key(c, m)) ?? [0]))
  const row = [m.name, String(m.bytes.length), ...medians.map(fmt)]
  if (ours) {
    // Per round: our rate over the best other rate of the same round (slices close in time, so a
    // change in machine load hits both), then the median over the rounds.
    const series = (cs: Contender[]) => cs.map((c) => rates.get(key(c, m)) ?? [])
    const [own = []] = series([ours])
    const otherSeries = series(others)
    const ratios = own.map((r, round) => r / Math.max(...otherSeries.map((s) => s[round] ?? 0)))
    row.push(`${median(ratios).toFixed(2)}x`)
    if (base) {
      const [b = []] = series([base])
      row.push(`${median(own.map((r, round) => r / (b[round] ?? Number.NaN))).toFixed(2)}x`)
    }
  }
  rows.push(row)
}
const cpu = cpus()[0]?.model ?? 'unknown CPU'
console.log(
  `Node ${process.version}, ${cpu}, ${availableParallelism()} CPUs, ${ROUNDS} rounds x ${SLICE_MS} ms slices`,
)
console.log('median messages/second\n')
console.log(`| ${header.join(' | ')} |`)
console.log(`| ${header.map((_, i) => (i < 1 ? '---' : '---:')).join(' | ')} |`)
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
if (sink === -1) console.log(sink)
