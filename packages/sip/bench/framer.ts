/**
 * Stream framer throughput: MB/s and messages/s over a stream of the benchmark messages, fed whole, in
 * 1460-byte chunks (a TCP segment), 64-byte and 1-byte chunks; and the cost per byte of one large message
 * fed one byte at a time (64 KiB vs 4 KiB: equal ns/byte means the framer never rescans, O(n)).
 *
 * Run: `npx -y pnpm@12.21.0 --filter @sentrypeer/sip bench` (or `bench:framer` after a build).
 */
import { BENCH_MESSAGES } from './corpus.js'

interface FramerLike {
  push(chunk: Uint8Array): Array<{ type: string }>
}
const mod = (await import(process.env.SIP_DIST ?? ('../dist/index.js' as string))) as {
  createFramer: (init?: { limits?: Record<string, number> }) => FramerLike
}

const ROUNDS = Number(process.env.ROUNDS ?? 7)

// A stream of 4,000 messages (the four benchmark messages in turn, a CRLFCRLF ping every tenth).
const parts: Buffer[] = []
for (let i = 0; i < 1000; i++) {
  for (const m of BENCH_MESSAGES) parts.push(m.bytes)
  if (i % 10 === 0) parts.push(Buffer.from('\r\n\r\n'))
}
const stream = Buffer.concat(parts)
const messages = BENCH_MESSAGES.length * 1000

function chunks(data: Buffer, size: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < data.length; i += size) out.push(data.subarray(i, i + size))
  return out
}

function time(input: Buffer[], init?: { limits?: Record<string, number> }): number {
  const t0 = performance.now()
  const framer = mod.createFramer(init)
  let n = 0
  for (const c of input) n += framer.push(c).length
  const ms = performance.now() - t0
  if (n === 0) throw new Error('no events')
  return ms
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!

const rows: string[] = []
for (const [label, size] of [
  ['whole stream', stream.length],
  ['1460-byte chunks', 1460],
  ['64-byte chunks', 64],
  ['1-byte chunks', 1],
] as const) {
  const input = chunks(stream, size)
  time(input)
  const ms = median(Array.from({ length: ROUNDS }, () => time(input)))
  const mbps = stream.length / 1e6 / (ms / 1000)
  rows.push(
    `| ${label} | ${mbps.toFixed(0)} | ${Math.round(messages / (ms / 1000)).toLocaleString('en-US')} |`,
  )
}

// One large message, one byte at a time: ns per byte for 4 KiB and 64 KiB bodies.
const perByte: string[] = []
for (const bodySize of [4096, 65_536]) {
  const head = `MESSAGE sip:a@b SIP/2.0\r\nX-Long: ${'h'.repeat(bodySize / 2)}\r\nContent-Length: ${bodySize}\r\n\r\n`
  const message = Buffer.concat([Buffer.from(head), Buffer.alloc(bodySize, 0x61)])
  const init = { limits: { maxMessageBytes: 1 << 20, maxHeaderBytes: 1 << 20, maxBodyBytes: 1 << 20 } }
  const input = chunks(message, 1)
  time(input, init)
  const ms = median(Array.from({ length: ROUNDS }, () => time(input, init)))
  perByte.push(`| ${message.length} bytes, 1-byte chunks | ${((ms * 1e6) / message.length).toFixed(1)} |`)
}

console.log(
  `Node ${process.version}; stream of ${messages.toLocaleString('en-US')} messages, ${stream.length} bytes`,
)
console.log('| input | MB/s | messages/s |')
console.log('| --- | ---: | ---: |')
for (const r of rows) console.log(r)
console.log()
console.log('| one message | ns/byte |')
console.log('| --- | ---: |')
for (const r of perByte) console.log(r)
