// Write cost per event against the transaction size: events of many IPs, numbers and signed records
// (a P2P catch-up, a distributed scan) change B-tree pages all over the indexes, and every commit copies
// each changed page into the WAL once. Each size gets a fresh database in the same process.
// Run (from packages/store, after building dist/): ../../node_modules/.bin/node bench/batch.bench.ts
// Knobs: BENCH_EVENTS (100_000), BENCH_IPS (50_000), BENCH_BATCHES (512,2048,8192),
// BENCH_CACHE_KIB (the store's default), BENCH_UUID (v7 | v4), BENCH_SIGNED (1 | 0).
import { randomBytes, randomFillSync, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { openStore, type SipEventInput } from '../dist/index.js'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000)
const IPS = Number(process.env.BENCH_IPS ?? 50_000)
const BATCHES = (process.env.BENCH_BATCHES ?? '512,2048,8192').split(',').map(Number)
const CACHE_KIB = process.env.BENCH_CACHE_KIB ? Number(process.env.BENCH_CACHE_KIB) : undefined
const V7 = (process.env.BENCH_UUID ?? 'v7') === 'v7'
const SIGNED = (process.env.BENCH_SIGNED ?? '1') === '1'
/** Events handed to the store per event-loop turn: a page of a catch-up answer is 1,000 records. */
const PER_TURN = 4096

const RAW =
  'INVITE sip:0046812345678@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/UDP 203.0.113.50:5071;branch=z9hG4bK-1815465218;rport\r\n' +
  'Max-Forwards: 70\r\nFrom: "1000" <sip:1000@192.0.2.10>;tag=3439343936313338\r\nTo: <sip:0046812345678@192.0.2.10>\r\n' +
  'Call-ID: 593423491239-1093462@203.0.113.50\r\nCSeq: 1 INVITE\r\nUser-Agent: friendly-scanner\r\nContent-Length: 0\r\n\r\n'
const ENVELOPE = new Uint8Array(170).fill(7)

/** A time-ordered UUID (version 7 layout: 48-bit milliseconds, then random), as the daemon makes them. */
function uuid7(ms: number): string {
  const b = randomFillSync(Buffer.alloc(16))
  b.writeUIntBE(ms, 0, 6)
  b[6] = 0x70 | (b[6]! & 0x0f)
  b[8] = 0x80 | (b[8]! & 0x3f)
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const rows: string[] = []
for (const batchSize of BATCHES) {
  const dir = mkdtempSync(path.join(tmpdir(), 'sentrypeer-batch-bench-'))
  try {
    const store = openStore({
      path: path.join(dir, 'bench.db'),
      pruneIntervalMs: 0,
      batchSize,
      ...(CACHE_KIB === undefined ? {} : { cacheSizeKiB: CACHE_KIB }),
    })
    const now = Date.now()
    const span = 6 * 24 * 3600 * 1000
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < EVENTS; i++) {
      const ip = (i * 7919) % IPS
      const number = `+4420${String(ip % 25_000).padStart(8, '0')}`
      const eventTime = now - span + Math.floor((i / EVENTS) * span)
      const collector = `collector-${i % 50}`
      const event: SipEventInput = {
        eventTime,
        eventUuid: V7 ? uuid7(eventTime) : randomUUID(),
        sourceIp: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
        sourcePort: 5071,
        destinationIp: '192.0.2.10',
        destinationPort: 5060,
        transport: 'udp',
        method: 'INVITE',
        calledNumberRaw: number,
        calledNumberNormalized: number,
        userAgent: 'friendly-scanner',
        callId: '593423491239-1093462@203.0.113.50',
        rawMessage: RAW,
        collectionMode: 'passive',
        collectorNodeId: SIGNED ? collector : 'bench-node',
        origin: SIGNED ? 'peer-bench' : 'local',
        ...(SIGNED ? { signed: { id: randomBytes(32).toString('hex'), collector, bytes: ENVELOPE } } : {}),
      }
      if (!store.record(event)) {
        await store.flush()
        store.record(event)
      }
      if (i % PER_TURN === PER_TURN - 1) await new Promise((resolve) => setImmediate(resolve))
    }
    await store.close()
    const used = process.cpuUsage(cpu)
    const wall = performance.now() - started
    rows.push(
      `| ${batchSize} | ${((used.user + used.system) / EVENTS).toFixed(1)} µs (user ${(used.user / EVENTS).toFixed(1)}, system ${(used.system / EVENTS).toFixed(1)}) | ${Math.round(EVENTS / (wall / 1000)).toLocaleString('en-US')} events/s |`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
console.log(
  `Node ${process.version}, ${EVENTS.toLocaleString('en-US')} events, ${IPS.toLocaleString('en-US')} IPs, ` +
    `UUID ${V7 ? 'v7' : 'v4'}, signed records ${SIGNED ? 'yes' : 'no'}, cache ${CACHE_KIB ?? 'default'} KiB, ` +
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
)
console.log('| batch size | CPU per event | ingest rate |\n| ---: | ---: | ---: |')
for (const row of rows) console.log(row)
