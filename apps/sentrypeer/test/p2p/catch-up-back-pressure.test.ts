/**
 * A catch-up larger than the store's write queue: records arrive (verified) faster than SQLite writes
 * them, so deliveries must wait for the writer instead of having records refused. Two real `sentrypeer`
 * processes on loopback: a seed whose database holds RECORDS signed records, and a new node whose store
 * queue holds only MAX_QUEUE events.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadOrCreateKey, signRecord } from '@sentrypeer/share'
import { openStore } from '@sentrypeer/store'
import { afterAll, describe, expect, it } from 'vitest'
import { P2P_NAMESPACE } from '../../src/p2p/constants.js'
import {
  type SentryPeerRecord,
  sentryPeerRecordCodec,
  validateSentryPeerRecord,
} from '../../src/p2p/sentry-peer-record.js'
import { uuidV7 } from '../../src/sip/uuid-v7.js'
import { type DaemonProcess, readyLine, spawnDaemon } from '../helpers/daemon-process.js'
import { tempDir } from '../helpers/paths.js'
import { seedRecord } from '../helpers/seed-record.js'

const RECORDS = 3_000
/** The new node's queue: 100 events, of which records from peers may fill half. */
const MAX_QUEUE = 100

const root = tempDir('sentrypeer-back-pressure-')
const procs: DaemonProcess[] = []
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()))
})

type Ready = { p2p: string[]; api: string }

async function metric(api: string, name: string): Promise<number> {
  const text = await (await fetch(`${api}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? Number.NaN)
}

describe('P2P catch-up into a small store queue', () => {
  it('stores every record: deliveries wait for the writer, none is refused', async () => {
    const seedDir = join(root, 'seed')
    const key = await loadOrCreateKey(join(seedDir, 'sentrypeer-p2p.key'))
    const rules = {
      namespace: P2P_NAMESPACE,
      codec: sentryPeerRecordCodec,
      validate: (r: SentryPeerRecord) => validateSentryPeerRecord(r, { allowNonPublicIps: false }),
      key: (r: SentryPeerRecord) => r.sourceIp,
      collectedAt: (r: SentryPeerRecord) => r.eventTime,
    }
    const seedStore = openStore({ path: join(seedDir, 'sentrypeer.db'), maxQueue: RECORDS + 1 })
    const now = Date.now()
    for (let i = 0; i < RECORDS; i++) {
      const eventTime = now - 60_000 - i * 60_000
      const { record, event } = seedRecord(i, eventTime, uuidV7(eventTime))
      const signed = await signRecord(record, key, rules)
      seedStore.record({
        ...event,
        signed: { id: signed.id, collector: signed.collector, bytes: signed.bytes },
      })
    }
    await seedStore.close()

    const common = ['-p', '-a', '--api-listen', '127.0.0.1:0', '-R']
    const seed = await spawnDaemon([
      ...common,
      '-f',
      join(seedDir, 'sentrypeer.db'),
      '--p2p-listen',
      '/ip4/127.0.0.61/tcp/0',
    ])
    procs.push(seed)
    const config = join(root, 'small-queue.json')
    writeFileSync(config, JSON.stringify({ store: { maxQueue: MAX_QUEUE } }))
    const fresh = await spawnDaemon([
      ...common,
      '-f',
      join(root, 'new', 'sentrypeer.db'),
      '--p2p-listen',
      '/ip4/127.0.0.62/tcp/0',
      '-g',
      config,
      '-b',
      readyLine<Ready>(seed).p2p[0] ?? '',
    ])
    procs.push(fresh)
    const api = readyLine<Ready>(fresh).api
    // The next catch-up round is 10 minutes away: every record must be stored by the first one.
    const deadline = Date.now() + 60_000
    let stored = 0
    while (Date.now() < deadline) {
      stored = await metric(api, 'sentrypeer_db_events_inserted_total')
      if (stored >= RECORDS) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(stored).toBe(RECORDS)
    expect(await metric(api, 'sentrypeer_db_events_dropped_total')).toBe(0)
  }, 120_000)
})
