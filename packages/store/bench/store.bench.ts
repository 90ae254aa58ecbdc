// Store benchmark: loads 1M events from 100k IPs through record()+flush(), then measures the
// synchronous embedding look-ups (ns/op), streaming all IP summaries and paging.
// Run: npx -y pnpm@12.21.0 --filter @sentrypeer/store bench   (builds first; runs on dist/)
// Sizes: BENCH_EVENTS (default 1_000_000), BENCH_IPS (default 100_000).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { openStore, type SipEventInput } from '../dist/index.js'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000)
const IPS = Number(process.env.BENCH_IPS ?? 100_000)
const NUMBERS = Math.max(1, Math.floor(IPS / 2))
const LOOKUPS = 1_000_000

const RAW = [
  'INVITE sip:0046812345678@192.0.2.10 SIP/2.0',
  'Via: SIP/2.0/UDP 203.0.113.50:5071;branch=z9hG4bK-1815465218;rport',
  'Max-Forwards: 70',
  'From: "1000" <sip:1000@192.0.2.10>;tag=3439343936313338',
  'To: <sip:0046812345678@192.0.2.10>',
  'Call-ID: 593423491239-1093462@203.0.113.50',
  'CSeq: 1 INVITE',
  'User-Agent: friendly-scanner',
  'Content-Length: 0',
  '',
  '',
].join('\r\n')

function ipOf(i: number): string {
  // 90% IPv4, 10% IPv6.
  if (i % 10 === 9) return `2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)}`
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
}
function numberOf(i: number): string {
  return `+4420${String(i).padStart(8, '0')}`
}

const dir = mkdtempSync(path.join(tmpdir(), 'sentrypeer-store-bench-'))
const file = path.join(dir, 'bench.db')
const rows: Array<[string, string]> = []
try {
  const store = openStore({
    path: file,
    pruneIntervalMs: 0,
    cacheSizeKiB: process.env.BENCH_CACHE_KIB ? Number(process.env.BENCH_CACHE_KIB) : undefined,
    walAutocheckpointPages: process.env.BENCH_WAL_PAGES ? Number(process.env.BENCH_WAL_PAGES) : undefined,
    batchSize: process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined,
    pageSize: process.env.BENCH_PAGE_SIZE ? Number(process.env.BENCH_PAGE_SIZE) : undefined,
  })
  const now = Date.now()
  const span = 6 * 24 * 3600 * 1000
  const base: Omit<
    SipEventInput,
    'eventTime' | 'eventUuid' | 'sourceIp' | 'calledNumberRaw' | 'calledNumberNormalized'
  > = {
    sourcePort: 5071,
    destinationIp: '192.0.2.10',
    destinationPort: 5060,
    transport: 'udp',
    method: 'INVITE',
    userAgent: 'friendly-scanner',
    callId: '593423491239-1093462@203.0.113.50',
    rawMessage: RAW,
    collectionMode: 'passive',
    collectorNodeId: 'bench-node',
    origin: 'local',
  }

  // Ingest: record() everything, letting the store flush by size; await a flush when the queue is full.
  let recordNs = 0n
  const ingestCpu = process.cpuUsage()
  const started = process.hrtime.bigint()
  for (let i = 0; i < EVENTS; i++) {
    const number = numberOf((i * 7919) % NUMBERS)
    const event: SipEventInput = {
      ...base,
      eventTime: now - span + Math.floor((i / EVENTS) * span),
      eventUuid: randomUUID(),
      sourceIp: ipOf((i * 104_729) % IPS),
      calledNumberRaw: number,
      calledNumberNormalized: number,
    }
    const t = process.hrtime.bigint()
    const accepted = store.record(event)
    recordNs += process.hrtime.bigint() - t
    if (!accepted) {
      await store.flush()
      store.record(event)
    }
    if (i % 20_000 === 19_999) await new Promise((resolve) => setImmediate(resolve))
    if (i % 100_000 === 99_999) process.stderr.write(`${i + 1} events\n`)
  }
  await store.flush()
  const ingestS = Number(process.hrtime.bigint() - started) / 1e9
  const ingestCpuUsed = process.cpuUsage(ingestCpu)
  const ingestCpuS = (ingestCpuUsed.user + ingestCpuUsed.system) / 1e6
  const stats = store.stats()
  rows.push(['events ingested', `${stats.inserted.toLocaleString('en')} (dropped ${stats.dropped})`])
  rows.push([
    `ingest, record()+flush (batch ${process.env.BENCH_BATCH ?? 512})`,
    `${Math.round(EVENTS / ingestS).toLocaleString('en')} events/s (${ingestS.toFixed(1)} s wall, ${ingestCpuS.toFixed(1)} s CPU)`,
  ])
  rows.push(['record() alone (validate + enqueue)', `${Math.round(Number(recordNs) / EVENTS)} ns/op`])

  const time = (name: string, fn: (i: number) => unknown, n = LOOKUPS) => {
    for (let i = 0; i < 10_000; i++) fn(i) // warm-up
    let sink = 0
    const cpu = process.cpuUsage()
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) if (fn(i)) sink++
    const ns = Number(process.hrtime.bigint() - t) / n
    const used = process.cpuUsage(cpu)
    const cpuNs = ((used.user + used.system) * 1000) / n
    rows.push([name, `${Math.round(ns)} ns/op wall, ${Math.round(cpuNs)} ns/op CPU`])
    return sink
  }
  const hits = Array.from({ length: 4096 }, (_, k) => ipOf((k * 2_654_435_761) % IPS))
  const v4hits = hits.filter((ip) => !ip.includes(':'))
  const mapped = v4hits.map((ip) => `::ffff:${ip}`)
  const v6hits = hits.filter((ip) => ip.includes(':'))
  const misses = Array.from({ length: 4096 }, (_, k) => `172.16.${(k >> 8) & 255}.${k & 255}`)
  const numbers = Array.from({ length: 4096 }, (_, k) => numberOf((k * 31) % NUMBERS))
  const missNumbers = Array.from({ length: 4096 }, (_, k) => `+1555${String(k).padStart(7, '0')}`)
  const check = (label: string, sink: number, expected: number) => {
    if (sink !== expected) throw new Error(`${label}: ${sink} hits, expected ${expected}`)
  }
  // Floor: the same indexed read with a bare prepared statement on a second connection.
  const bare = new Database(file, { readonly: true })
  const bareGet = bare.prepare('SELECT expires_at FROM ips WHERE ip = ?').pluck()
  check(
    'bare',
    time('baseline: bare better-sqlite3 get by primary key', (i) => bareGet.get(v4hits[i % v4hits.length]!)),
    LOOKUPS,
  )
  bare.close()
  check(
    'isBadIp v4',
    time('isBadIp, IPv4 hit', (i) => store.isBadIp(v4hits[i % v4hits.length]!)),
    LOOKUPS,
  )
  check(
    'isBadIp v6',
    time('isBadIp, IPv6 hit', (i) => store.isBadIp(v6hits[i % v6hits.length]!)),
    LOOKUPS,
  )
  check(
    'isBadIp mapped',
    time('isBadIp, IPv4-mapped IPv6 hit', (i) => store.isBadIp(mapped[i % mapped.length]!)),
    LOOKUPS,
  )
  check(
    'isBadIp miss',
    time('isBadIp, miss', (i) => store.isBadIp(misses[i % misses.length]!)),
    0,
  )
  check(
    'isBadNumber',
    time('isBadNumber, hit', (i) => store.isBadNumber(numbers[i % numbers.length]!)),
    LOOKUPS,
  )
  check(
    'isBadNumber miss',
    time('isBadNumber, miss', (i) => store.isBadNumber(missNumbers[i % missNumbers.length]!)),
    0,
  )
  check(
    'lookupIp',
    time('lookupIp, hit', (i) => store.lookupIp(hits[i % hits.length]!)),
    LOOKUPS,
  )

  const iterStarted = process.hrtime.bigint()
  const all = store.iterateIps()
  if (!all.ok) throw new Error('iterateIps failed')
  let count = 0
  for (const _ of all.value) count++
  const iterMs = Number(process.hrtime.bigint() - iterStarted) / 1e6
  rows.push([`iterateIps, all ${count.toLocaleString('en')} IP summaries`, `${iterMs.toFixed(0)} ms`])

  let cursor: string | undefined
  const pageStarted = process.hrtime.bigint()
  let pages = 0
  for (; pages < 100; pages++) {
    const page = store.listIps({ limit: 100, cursor })
    if (!page.ok) throw new Error('listIps failed')
    cursor = page.value.nextCursor
  }
  rows.push([
    'listIps, page of 100 (keyset cursor)',
    `${(Number(process.hrtime.bigint() - pageStarted) / 1e3 / pages).toFixed(0)} µs/page`,
  ])
  const buckets = process.hrtime.bigint()
  store.countsPerBucket({ bucketMs: 3_600_000 })
  rows.push([
    'countsPerBucket, 1 h buckets over 7 days',
    `${(Number(process.hrtime.bigint() - buckets) / 1e6).toFixed(0)} ms`,
  ])
  const pruneStarted = process.hrtime.bigint()
  const pruned = store.prune(now + 24 * 3600 * 1000 - span + 7 * 24 * 3600 * 1000)
  rows.push([
    `prune, ${pruned.toLocaleString('en')} expired events`,
    `${(Number(process.hrtime.bigint() - pruneStarted) / 1e6).toFixed(0)} ms`,
  ])
  await store.close()
  const size = statSync(file).size
  rows.push(['database file after close', `${(size / 1024 / 1024).toFixed(0)} MiB`])
} finally {
  rmSync(dir, { recursive: true, force: true })
}

console.log(
  `Node ${process.version}, ${EVENTS.toLocaleString('en')} events, ${IPS.toLocaleString('en')} IPs, ` +
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
)
console.log('| measure | result |\n| --- | --- |')
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`)
