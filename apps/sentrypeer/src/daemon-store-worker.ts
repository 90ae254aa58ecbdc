/**
 * The store's writer thread: owns the write connection, so SQLite transactions, WAL checkpoints and
 * pruning never stall the SIP listeners on the main thread. Messages from the main thread:
 * `events` (a batch to record), `flush` and `close`; it answers with `ack`/`flushed`/`closed` carrying
 * the store's stats. Only erasable TypeScript here: tests load this file with Node's type stripping.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { openStore, type SipEventInput, type StoreInit } from '@sentrypeer/store'

type Inbound =
  | { type: 'events'; events: SipEventInput[] }
  | { type: 'flush'; id: number }
  | { type: 'close'; id: number }

const port = parentPort
if (port === null) throw new Error('daemon-store-worker must run in a worker thread')

const init = workerData as Omit<StoreInit, 'onError' | 'now' | 'normalizeNumber'>
const store = openStore({
  ...init,
  onError: (error) => port.postMessage({ type: 'error', message: error.message }),
})
port.postMessage({ type: 'ready', stats: store.stats() })

port.on('message', (msg: Inbound) => {
  if (msg.type === 'events') {
    let refused = 0
    for (const event of msg.events) if (!store.record(event)) refused++
    port.postMessage({ type: 'ack', count: msg.events.length, refused, stats: store.stats() })
  } else if (msg.type === 'flush') {
    void store.flush().then(() => port.postMessage({ type: 'flushed', id: msg.id, stats: store.stats() }))
  } else if (msg.type === 'close') {
    void store.close().then(() => {
      port.postMessage({ type: 'closed', id: msg.id, stats: store.stats() })
      port.close()
    })
  }
})
