/**
 * Catch-up of a new node: a `sentrypeer -p` seed node holds RECORDS signed records (collected over the
 * last six days, so in many hourly buckets); a new node starts with `-b seed` and an empty database. Time
 * from the new node's `ready` line to (a) all records verified and indexed (`GET /peers` records) and
 * (b) all of them in its SQLite store (`GET /stats` events_total).
 * Run (root, Node 24, after `pnpm --filter sentrypeer build`): node bench/p2p/catch-up.ts [records]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SentryPeerRecord } from '../../apps/sentrypeer/src/p2p/sentry-peer-record.ts'
import { uuidV7 } from '../../apps/sentrypeer/src/sip/uuid-v7.ts'
import { seedRecord } from '../../apps/sentrypeer/test/helpers/seed-record.ts'
import { type Daemon, repoRoot, sleep, startDaemon } from './daemons.ts'

const [RECORDS = 100_000] = process.argv.slice(2).map(Number)
const share = (await import(
  join(repoRoot, 'packages', 'share', 'dist', 'index.js')
)) as typeof import('@sentrypeer/share')
const storeLib = (await import(
  join(repoRoot, 'packages', 'store', 'dist', 'index.js')
)) as typeof import('@sentrypeer/store')

type Rec = SentryPeerRecord
const encoder = new TextEncoder()
// the SentryPeer record's canonical JSON (apps/sentrypeer/src/p2p/sentry-peer-record.ts): same key order
const rules = {
  namespace: 'sentrypeer',
  codec: {
    encode: (r: Rec) => encoder.encode(JSON.stringify(r)),
    decode: (): Rec => {
      throw new Error('not used')
    },
  },
  validate: () => ({ ok: true as const }),
  key: (r: Rec) => r.sourceIp,
  collectedAt: (r: Rec) => r.eventTime,
}

const dir = mkdtempSync(join(tmpdir(), 'sentrypeer-catch-up-bench-'))
const daemons: Daemon[] = []
try {
  const seedDir = join(dir, 'seed')
  const key = await share.loadOrCreateKey(join(seedDir, 'sentrypeer-p2p.key'))
  const store = storeLib.openStore({ path: join(seedDir, 'sentrypeer.db'), maxQueue: RECORDS + 1 })
  const now = Date.now()
  const started = performance.now()
  for (let i = 0; i < RECORDS; i++) {
    const eventTime = now - 60_000 - Math.floor((i / RECORDS) * 6 * 86_400_000)
    // the daemon's event UUIDs are version 7 (time-ordered), made when the event was recorded
    const { record, event } = seedRecord(i, eventTime, uuidV7(eventTime))
    const signed = await share.signRecord(record, key, rules)
    store.record({ ...event, signed: { id: signed.id, collector: signed.collector, bytes: signed.bytes } })
  }
  await store.close()
  const prepared = performance.now() - started
  const seed = await startDaemon([
    '-p',
    '-a',
    '--api-listen',
    '127.0.0.1:0',
    '-R',
    '-f',
    join(seedDir, 'sentrypeer.db'),
    '--p2p-listen',
    '/ip4/127.0.2.1/tcp/0',
  ])
  daemons.push(seed)
  const fresh = await startDaemon([
    '-p',
    '-a',
    '--api-listen',
    '127.0.0.1:0',
    '-R',
    '-f',
    join(dir, 'new', 'sentrypeer.db'),
    '--p2p-listen',
    '/ip4/127.0.2.2/tcp/0',
    '-b',
    seed.addr,
  ])
  daemons.push(fresh)
  const t0 = performance.now()
  let indexedMs: number | undefined
  let storedMs: number | undefined
  let lastTotal = 0
  while (storedMs === undefined && performance.now() - t0 < 300_000) {
    if (indexedMs === undefined) {
      const peers = (await (await fetch(`${fresh.api}/peers`)).json()) as { records: number }
      if (peers.records >= RECORDS) indexedMs = performance.now() - t0
    }
    const stats = (await (await fetch(`${fresh.api}/stats?bucket=day`)).json()) as { events_total: number }
    lastTotal = stats.events_total
    if (stats.events_total >= RECORDS) storedMs = performance.now() - t0
    else await sleep(100)
  }
  console.log(
    JSON.stringify({
      records: RECORDS,
      prepareSeedS: Math.round(prepared / 100) / 10,
      indexedS: indexedMs === undefined ? null : Math.round(indexedMs / 100) / 10,
      storedS: storedMs === undefined ? null : Math.round(storedMs / 100) / 10,
      ...(storedMs === undefined
        ? { stored: lastTotal, waitedS: Math.round(performance.now() - t0) / 1000 }
        : {}),
    }),
  )
} finally {
  await Promise.all(daemons.map((d) => d.stop()))
  rmSync(dir, { recursive: true, force: true })
}
