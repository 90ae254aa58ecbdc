/**
 * Hostile shapes at growing sizes: one field of an otherwise valid OPTIONS is blown up (many parameters,
 * escapes, folds, commas, quotes, brackets). A parser with quadratic behaviour shows a cost per byte that
 * grows with the size; a linear one keeps it flat. Prints ns/byte of `parse` for each shape and size
 * (best of 5 runs), the growth from the smallest to the largest size, and the result code.
 *
 * Run: `npx -y pnpm@12.21.0 --filter @sentrypeer/sip bench` (or `bench:pathological` after a build).
 */
import type { ParseOptions, ParseResult } from '../src/types.js'

type ParseFn = (bytes: Uint8Array, options?: ParseOptions) => ParseResult
const mod = (await import(process.env.SIP_DIST ?? ('../dist/index.js' as string))) as { parse: ParseFn }
const { parse } = mod

const SIZES = [2_000, 8_000, 30_000]
const limits = { maxMessageBytes: 1 << 20, maxHeaderBytes: 1 << 20, maxStartLineBytes: 1 << 20 }

function message(over: Record<string, string>, ruri = 'sip:100@127.0.0.1'): Buffer {
  const headers: Record<string, string> = {
    Via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1;rport',
    'Max-Forwards': '70',
    From: '"a" <sip:a@127.0.0.1>;tag=1',
    To: '<sip:100@127.0.0.1>',
    'Call-ID': 'c1',
    CSeq: '1 OPTIONS',
    Contact: '<sip:a@127.0.0.1>',
    ...over,
  }
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`)
  return Buffer.from(
    `OPTIONS ${ruri} SIP/2.0\r\n${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`,
    'latin1',
  )
}

const rep = (s: string, size: number): string => s.repeat(Math.max(1, Math.floor(size / s.length)))

const SHAPES: Array<[string, (size: number) => Buffer]> = [
  ['Via parameters', (n) => message({ Via: `SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-1${rep(';a=b', n)}` })],
  ['Via empty parameters', (n) => message({ Via: `SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-1${rep(';', n)}` })],
  ['Via values', (n) => message({ Via: `SIP/2.0/UDP h;branch=z9hG4bK-1${rep(',SIP/2.0/UDP h', n)}` })],
  ['From quoted escapes', (n) => message({ From: `"${rep('\\"', n)}" <sip:a@b>;tag=1` })],
  ['From unclosed quote', (n) => message({ From: `"${rep('a', n)} <sip:a@b>;tag=1` })],
  ['From angle brackets', (n) => message({ From: `${rep('<', n)}sip:a@b>;tag=1` })],
  ['From parameters', (n) => message({ From: `<sip:a@b>;tag=1${rep(';x=y', n)}` })],
  ['Contact commas in quotes', (n) => message({ Contact: `"${rep(',', n)}" <sip:a@b>` })],
  ['Contact values', (n) => message({ Contact: rep('<sip:a@b>,', n).slice(0, -1) })],
  ['Request-URI escapes', (n) => message({}, `sip:${rep('%41', n)}@127.0.0.1`)],
  ['Request-URI parameters', (n) => message({}, `sip:100@127.0.0.1${rep(';p', n)}`)],
  ['To URI headers', (n) => message({ To: `<sip:100@h?${rep('a=b&', n)}x=y>` })],
  ['folded lines', (n) => message({ Subject: `a${rep('\r\n a', n)}` })],
  ['spaces before a colon', (n) => message({ [`Subject${rep(' ', n)}`]: 'x' })],
  ['long Call-ID', (n) => message({ 'Call-ID': rep('c', n) })],
  [
    'many headers',
    (n) => message(Object.fromEntries(Array.from({ length: n / 8 }, (_, i) => [`X-${i}`, 'y']))),
  ],
  ['long method', (n) => Buffer.from(`${rep('M', n)} sip:a@b SIP/2.0\r\n\r\n`)],
  ['NULs', (n) => Buffer.concat([message({}).subarray(0, 40), Buffer.alloc(n), message({}).subarray(40)])],
]

function nsPerByte(bytes: Buffer): { ns: number; code: string } {
  let code = ''
  for (let i = 0; i < 20; i++) parse(bytes, { limits })
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < 5; r++) {
    const reps = Math.max(1, Math.floor(200_000 / bytes.length))
    const t0 = performance.now()
    for (let i = 0; i < reps; i++) {
      const res = parse(bytes, { limits })
      code = res.ok ? 'ok' : res.error.code
    }
    best = Math.min(best, (performance.now() - t0) / reps)
  }
  return { ns: (best * 1e6) / bytes.length, code }
}

console.log(
  `Node ${process.version}; parse ns/byte, best of 5 (limits raised to 1 MiB so every size is parsed)`,
)
console.log(`| shape | ${SIZES.map((s) => `${s / 1000} KB`).join(' | ')} | growth | result |`)
console.log(`| --- | ${SIZES.map(() => '---:').join(' | ')} | ---: | --- |`)
let worst = 0
for (const [name, make] of SHAPES) {
  const runs = SIZES.map((s) => nsPerByte(make(s)))
  const growth = runs.at(-1)!.ns / runs[0]!.ns
  worst = Math.max(worst, growth)
  const codes = [...new Set(runs.map((r) => r.code))].join(', ')
  console.log(
    `| ${name} | ${runs.map((r) => r.ns.toFixed(1)).join(' | ')} | ${growth.toFixed(1)}x | ${codes} |`,
  )
}
console.log(
  `\nlargest growth of ns/byte from ${SIZES[0]! / 1000} KB to ${SIZES.at(-1)! / 1000} KB: ${worst.toFixed(1)}x`,
)
