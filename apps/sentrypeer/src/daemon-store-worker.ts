/**
 * The store's writer thread: owns the write connection, so SQLite transactions, WAL checkpoints and
 * pruning never stall the SIP listeners on the main thread. Messages from the main thread:
 * `events` (a batch to record), `flush` and `close`; it answers with `ack`/`flushed`/`closed` carrying
 * the store's stats. Only erasable TypeScript here: tests load this file with Node's type stripping.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openStore, type SipEventInput, type StoreInit } from '@sentrypeer/store'

type Inbound =
  | { type: 'events'; buffer: ArrayBuffer; byteLength: number; encoded: number; objects: SipEventInput[] }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number }

const port = parentPort
if (port === null) throw new Error('daemon-store-worker must run in a worker thread')

/** The batch encoding's field order and absent-field length come from `EventBatch` in daemon-store.ts. */
const { init, batchStringFields, batchAbsent } = workerData as {
  init: Omit<StoreInit, 'onError' | 'now' | 'normalizeNumber'>
  batchStringFields: ReadonlyArray<keyof SipEventInput>
  batchAbsent: number
}

/** The `count` events encoded in `bytes` by the main thread's `EventBatch`, in order. */
function* decodeEvents(bytes: Buffer, count: number): Generator<SipEventInput> {
  let at = 0
  for (let n = 0; n < count; n++) {
    const event: Record<string, unknown> = {
      eventTime: bytes.readDoubleLE(at),
      sourcePort: bytes.readDoubleLE(at + 8),
      destinationPort: bytes.readDoubleLE(at + 16),
    }
    at += 24
    for (const field of batchStringFields) {
      const length = bytes.readUInt32LE(at)
      at += 4
      if (length === batchAbsent) continue
      event[field] = bytes.toString('utf8', at, at + length)
      at += length
    }
    yield event as unknown as SipEventInput
  }
}
const store = openStore({
  ...init,
  onError: (error) => port.postMessage({ type: 'error', message: error.message }),
})
port.postMessage({ type: 'ready', stats: store.stats() })

/**
 * Delay before the writer reports its stats after a batch arrived (ms): the store writes on its own
 * timer, after the `ack`, so without this report the main thread's counters (`/metrics`, `/stats`) would
 * stay at their values from before the last write until the next batch. Repeated while events wait.
 */
const STATS_REPORT_DELAY_MS = 50
let statsTimer: NodeJS.Timeout | undefined
const reportStatsLater = (): void => {
  statsTimer ??= setTimeout(() => {
    statsTimer = undefined
    const stats = store.stats()
    port.postMessage({ type: 'stats', stats })
    if (stats.queueDepth > 0) reportStatsLater()
  }, STATS_REPORT_DELAY_MS)
}

port.on('message', (msg: Inbound) => {
  if (msg.type === 'events') {
    const bytes = Buffer.from(msg.buffer, 0, msg.byteLength)
    for (const event of decodeEvents(bytes, msg.encoded)) store.record(event)
    for (const event of msg.objects) store.record(event)
    port.postMessage({ type: 'ack', count: msg.encoded + msg.objects.length, stats: store.stats() })
    reportStatsLater()
  } else if (msg.type === 'flush') {
    void store.flush().then(() => port.postMessage({ type: 'flushed', id: msg.id, stats: store.stats() }))
  } else if (msg.type === 'close') {
    if (statsTimer !== undefined) clearTimeout(statsTimer)
    void store.close().then(() => {
      port.postMessage({ type: 'closed', id: msg.id, stats: store.stats() })
      port.close()
    })
  }
})
