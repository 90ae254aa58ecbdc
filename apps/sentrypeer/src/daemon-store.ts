import { Worker } from 'node:worker_threads'
import { openStore, type SipEventInput, type Store, type StoreInit, type StoreStats } from '@sentrypeer/store'

/** Options of {@link openDaemonStore}: the store's own options, minus the functions (they cannot cross threads). */
export type DaemonStoreInit = Omit<StoreInit, 'onError' | 'now' | 'normalizeNumber'> & {
  /** Write or prune errors reported by the writer thread. */
  onError?: (error: Error) => void
}

/** Events held on the main thread before they are handed to the writer thread in one message. */
const POST_BATCH = 512
/**
 * Default bound of events queued between the listeners and the writer thread, and in the writer's store.
 * 20,000 events (about 20 MB with raw messages) cover more than a second of a 15k/s flood.
 */
export const DEFAULT_DAEMON_STORE_MAX_QUEUE = 20_000
/**
 * Heap limits of the writer thread (MB). Its store holds at most `maxQueue` events; the limits keep the
 * thread from growing its heap lazily under a flood (V8 otherwise sizes it for throughput, not RSS).
 */
export const WRITER_MAX_OLD_GENERATION_MB = 96
export const WRITER_MAX_YOUNG_GENERATION_MB = 8

type Outbound =
  | { type: 'ready'; stats: StoreStats }
  | { type: 'ack'; count: number; refused: number; stats: StoreStats }
  | { type: 'flushed' | 'closed'; id: number; stats: StoreStats }
  | { type: 'error'; message: string }

/**
 * The daemon's store: the SQLite writes happen in a worker thread (`daemon-store-worker`), the queries
 * and the embedding look-ups on a second, read-side connection in this thread (WAL lets readers run
 * beside the writer). `record()` only appends to an array: the UDP path never waits on the disk, not
 * even on a WAL checkpoint.
 *
 * @example
 * const store = await openDaemonStore({ path: 'sentrypeer.db', maxAgeMs: 7 * 86_400_000 })
 * store.record(event)
 * await store.close()
 */
export async function openDaemonStore(init: DaemonStoreInit): Promise<Store> {
  const { onError, ...workerInit } = init
  const here = import.meta.url
  const workerUrl = new URL(
    here.endsWith('.ts') ? './daemon-store-worker.ts' : './daemon-store-worker.js',
    here,
  )
  const maxQueue = init.maxQueue ?? DEFAULT_DAEMON_STORE_MAX_QUEUE
  const worker = new Worker(workerUrl, {
    workerData: { ...workerInit, maxQueue },
    resourceLimits: {
      maxOldGenerationSizeMb: WRITER_MAX_OLD_GENERATION_MB,
      maxYoungGenerationSizeMb: WRITER_MAX_YOUNG_GENERATION_MB,
    },
  })

  let last: StoreStats | undefined
  let pending: SipEventInput[] = []
  let inFlight = 0
  let droppedHere = 0
  let scheduled = false
  let nextId = 1
  const waiters = new Map<number, () => void>()

  const ready = new Promise<void>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`store writer exited with code ${code} while opening`)))
    worker.on('message', (msg: Outbound) => {
      if (msg.type === 'ready') {
        last = msg.stats
        worker.removeAllListeners('exit')
        worker.removeListener('error', reject)
        worker.on('error', (err) => onError?.(err))
        resolve()
      } else if (msg.type === 'ack') {
        inFlight -= msg.count
        last = msg.stats
      } else if (msg.type === 'flushed' || msg.type === 'closed') {
        last = msg.stats
        waiters.get(msg.id)?.()
        waiters.delete(msg.id)
      } else if (msg.type === 'error') {
        onError?.(new Error(msg.message))
      }
    })
  })
  await ready
  // The writer has run the migrations; this connection only reads (and never prunes on a timer).
  const reader = openStore({ ...workerInit, pruneIntervalMs: 0, ...(onError ? { onError } : {}) })

  const post = (): void => {
    scheduled = false
    if (pending.length === 0) return
    const batch = pending
    pending = []
    inFlight += batch.length
    worker.postMessage({ type: 'events', events: batch })
  }
  const request = (type: 'flush' | 'close'): Promise<void> => {
    post()
    const id = nextId++
    return new Promise<void>((resolve) => {
      waiters.set(id, resolve)
      worker.postMessage({ type, id })
    })
  }

  let closing: Promise<void> | undefined
  const overrides: Partial<Store> = {
    record(event: SipEventInput): boolean {
      if (closing !== undefined || pending.length + inFlight >= maxQueue) {
        droppedHere++
        return false
      }
      pending.push(event)
      if (pending.length >= POST_BATCH) post()
      else if (!scheduled) {
        scheduled = true
        setImmediate(post)
      }
      return true
    },
    flush: () => request('flush'),
    close() {
      closing ??= (async () => {
        await request('close')
        await reader.close()
        await worker.terminate()
      })()
      return closing
    },
    stats(): StoreStats {
      const s = last ?? reader.stats()
      return {
        ...s,
        queueDepth: s.queueDepth + pending.length + inFlight,
        accepted: s.accepted + pending.length + inFlight,
        dropped: s.dropped + droppedHere,
      }
    },
  }
  return new Proxy(reader, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof Store]
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
