/**
 * Stream framer throughput: MB/s and messages/s over a stream of the benchmark messages, fed whole, in
 * 1460-byte chunks (a TCP segment), 64-byte and 1-byte chunks; and the cost per byte of one large message
 * fed one byte at a time (4 KiB to 256 KiB bodies: equal ns/byte means the framer never rescans, O(n)).
 * Figures are the best of ROUNDS (default 7) runs.
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

/** Feeds `data` in chunks of `size` bytes (views made on the fly, as a socket hands out fresh buffers). */
function time(data: Buffer, size: number, init?: { limits?: Record<string, number> }): number {
  const t0 = performance.now()
  const framer = mod.createFramer(init)
  let n = 0
  for (let i = 0; i < data.length; i += size) n += framer.push(data.subarray(i, i + size)).length
  const ms = performance.now() - t0
  if (n === 0) throw new Error('no events')
  return ms
}

/** Best of the rounds: the machine is shared, the minimum is the least disturbed run. */
const best = (xs: number[]): number => Math.min(...xs)

const rows: string[] = []
for (const [label, size] of [
  ['whole stream', stream.length],
  ['1460-byte chunks', 1460],
  ['64-byte chunks', 64],
  ['1-byte chunks', 1],
] as const) {
  time(stream, size)
  const ms = best(Array.from({ length: ROUNDS }, () => time(stream, size)))
  const mbps = stream.length / 1e6 / (ms / 1000)
  rows.push(
    `| ${label} | ${mbps.toFixed(0)} | ${Math.round(messages / (ms / 1000)).toLocaleString('en-US')} |`,
  )
}

// One large message, one byte at a time: ns per byte for 4 KiB and 64 KiB bodies.
const perByte: string[] = []
const messageFor = (bodySize: number): Buffer => {
  const head = `MESSAGE sip:a@b SIP/2.0\r\nX-Long: ${'h'.repeat(bodySize / 2)}\r\nContent-Length: ${bodySize}\r\n\r\n`
  return Buffer.concat([Buffer.from(head), Buffer.alloc(bodySize, 0x61)])
}
const bigLimits = { limits: { maxMessageBytes: 1 << 20, maxHeaderBytes: 1 << 20, maxBodyBytes: 1 << 20 } }
// Warm up on every size first, so the first size measured is not the one that pays for compilation.
for (const bodySize of [4096, 65_536, 262_144]) time(messageFor(bodySize), 1, bigLimits)
for (const bodySize of [4096, 65_536, 262_144]) {
  const message = messageFor(bodySize)
  const ms = best(Array.from({ length: ROUNDS }, () => time(message, 1, bigLimits)))
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
