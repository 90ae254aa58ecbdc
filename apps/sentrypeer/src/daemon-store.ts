import type { Worker } from 'node:worker_threads'
import { openStore, type SipEventInput, type Store, type StoreInit, type StoreStats } from '@sentrypeer/store'

/** Options of {@link openDaemonStore}: the store's own options, minus the functions (they cannot cross threads). */
export type DaemonStoreInit = Omit<StoreInit, 'onError' | 'now' | 'normalizeNumber'> & {
  /** Write or prune errors (reported by the writer thread when there is one). */
  onError?: (error: Error) => void
  /**
   * Write in a worker thread (default) or on the calling thread. The thread keeps commits and WAL
   * checkpoints off the event loop, which lets the daemon take more SIP traffic per second, but it is a
   * second V8 isolate with its own copy of the store's modules: about 35 MB more RSS idle and the
   * thread's heap under load (docs/benchmarks.md, Ingest). Without it the store's own slicing applies:
   * a flush or a prune runs in slices of a few ms (`flushSliceMs`, `pruneSliceMs`).
   */
  writerThread?: boolean
}

/** Events held on the main thread before they are handed to the writer thread in one message. */
const POST_BATCH = 512
/**
 * Longest time an event waits on the main thread before its batch is posted (ms): the store's own flush
 * interval (5 ms, `DEFAULT_FLUSH_INTERVAL_MS` of `@sentrypeer/store`), so a crash still loses only a few
 * ms of events. Posting on the next event-loop turn instead cost a message (and a wake-up of the writer,
 * and its ack) every few datagrams.
 */
const POST_INTERVAL_MS = 5
/** First size of a batch buffer (bytes); it grows for larger batches and starts the next at that size. */
const BATCH_INITIAL_BYTES = 64 * 1024
/**
 * The string fields of an event, in the order the batch encoding writes them. The writer thread gets
 * this list in its `workerData`, so the two sides cannot disagree.
 */
const BATCH_STRING_FIELDS = [
  'eventUuid',
  'sourceIp',
  'destinationIp',
  'transport',
  'method',
  'calledNumberRaw',
  'calledNumberNormalized',
  'userAgent',
  'callId',
  'rawMessage',
  'collectionMode',
  'collectorNodeId',
  'origin',
] as const satisfies ReadonlyArray<keyof SipEventInput>
/** Length written for an absent (undefined) string field; the writer thread gets it in its `workerData`. */
const BATCH_ABSENT = 0xffff_ffff
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
/**
 * Most events per write transaction on the writer thread. A flush writes what is queued, so under a
 * trickle transactions stay small; a backlog (a P2P catch-up, a flood) is written in transactions of
 * up to 8,192 events, which share the copy of every changed index page into the WAL: 65 µs of CPU per
 * event against 106 µs in transactions of 512 (docs/benchmarks.md, `## Store`). The thread owns
 * nothing else, so a long transaction stalls no listener.
 */
export const DEFAULT_WRITER_BATCH_SIZE = 8_192
/** Young-generation limit of the writer thread (MB); see `WRITER_MAX_OLD_GENERATION_MB`. */
export const WRITER_MAX_YOUNG_GENERATION_MB = 8
/**
 * WAL pages between automatic checkpoints when the writes run on the event loop: SQLite's own default
 * (https://www.sqlite.org/pragma.html#pragma_wal_autocheckpoint), not the store's 10,000. A checkpoint
 * runs inside the commit that crosses the threshold and holds the event loop while it copies the WAL into
 * the database: the longest stall under a 20,000/s flood was 77-89 ms with 10,000 pages and 21-23 ms with
 * 1,000 (ingest bench, `--probe`), datagrams the kernel must buffer meanwhile.
 */
export const EVENT_LOOP_WAL_AUTOCHECKPOINT_PAGES = 1_000

/**
 * Events waiting to cross to the writer thread, encoded as they arrive into one buffer that is then
 * transferred, not cloned: per event the three numbers (float64: eventTime, sourcePort, destinationPort)
 * and each of `BATCH_STRING_FIELDS` as a uint32 UTF-8 length (`BATCH_ABSENT` when undefined) and its
 * bytes. The event object dies young on the UDP path instead of waiting, with its strings, for the next
 * post, and the message costs a memcpy instead of a structured clone of hundreds of objects. An event of
 * another shape (a signed P2P record, a wrong type that the store will reject and count) is sent as an
 * object beside the buffer.
 */
class EventBatch {
  bytes: Buffer
  offset = 0
  encoded = 0
  objects: SipEventInput[] = []

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafeSlow(size)
  }

  get count(): number {
    return this.encoded + this.objects.length
  }

  add(event: SipEventInput): void {
    if (!EventBatch.encodable(event)) {
      this.objects.push(event)
      return
    }
    this.reserve(25)
    let at = this.offset
    at = this.bytes.writeDoubleLE(event.eventTime, at)
    at = this.bytes.writeDoubleLE(event.sourcePort, at)
    at = this.bytes.writeDoubleLE(event.destinationPort, at)
    this.offset = at
    for (const field of BATCH_STRING_FIELDS) {
      const value = event[field]
      if (value === undefined) {
        this.reserve(4)
        this.offset = this.bytes.writeUInt32LE(BATCH_ABSENT, this.offset)
        continue
      }
      // UTF-8 takes at most 3 bytes per UTF-16 code unit.
      this.reserve(4 + value.length * 3)
      const written = this.bytes.write(value, this.offset + 4, 'utf8')
      this.bytes.writeUInt32LE(written, this.offset)
      this.offset += 4 + written
    }
    this.encoded++
  }

  private reserve(n: number): void {
    if (this.offset + n <= this.bytes.length) return
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.offset + n))
    this.bytes.copy(grown, 0, 0, this.offset)
    this.bytes = grown
  }

  private static encodable(event: SipEventInput): boolean {
    if (event.signed !== undefined) return false
    if (
      typeof event.eventTime !== 'number' ||
      typeof event.sourcePort !== 'number' ||
      typeof event.destinationPort !== 'number'
    ) {
      return false
    }
    for (const field of BATCH_STRING_FIELDS) {
      const value: unknown = event[field]
      if (value !== undefined && typeof value !== 'string') return false
    }
    return true
  }
}

type Outbound =
  | { type: 'ready'; stats: StoreStats }
  | { type: 'ack'; count: number; stats: StoreStats }
  | { type: 'stats'; stats: StoreStats }
  | { type: 'flushed' | 'closed'; id: number; stats: StoreStats }
  | { type: 'error'; message: string }

/**
 * The daemon's store. With `writerThread` (the default) the SQLite writes happen in a worker thread
 * (`daemon-store-worker`), the queries and the embedding look-ups on a second, read-side connection in
 * this thread (WAL lets readers run beside the writer), and `record()` only appends to an array: the UDP
 * path never waits on the disk, not even on a WAL checkpoint. Without it, this is `openStore` with the
 * daemon's queue bound: one connection, writes flushed on this thread in slices.
 *
 * @example
 * const store = await openDaemonStore({ path: 'sentrypeer.db', maxAgeMs: 7 * 86_400_000 })
 * store.record(event)
 * await store.close()
 */
export async function openDaemonStore(init: DaemonStoreInit): Promise<Store> {
  const { onError, writerThread = true, ...workerInit } = init
  const maxQueue = init.maxQueue ?? DEFAULT_DAEMON_STORE_MAX_QUEUE
  if (!writerThread) {
    return openStore({
      ...workerInit,
      maxQueue,
      walAutocheckpointPages: init.walAutocheckpointPages ?? EVENT_LOOP_WAL_AUTOCHECKPOINT_PAGES,
      ...(onError ? { onError } : {}),
    })
  }
  return openWriterThreadStore(workerInit, maxQueue, onError)
}

/** The store of {@link openDaemonStore} with its writes in a worker thread. */
async function openWriterThreadStore(
  workerInit: Omit<DaemonStoreInit, 'onError' | 'writerThread'>,
  maxQueue: number,
  onError: ((error: Error) => void) | undefined,
): Promise<Store> {
  // Loaded only with the thread: the module is part of what a daemon without it does not pay for.
  const { Worker } = await import('node:worker_threads')
  const here = import.meta.url
  const workerUrl = new URL(
    here.endsWith('.ts') ? './daemon-store-worker.ts' : './daemon-store-worker.js',
    here,
  )
  const worker: Worker = new Worker(workerUrl, {
    workerData: {
      init: { ...workerInit, maxQueue, batchSize: workerInit.batchSize ?? DEFAULT_WRITER_BATCH_SIZE },
      batchStringFields: BATCH_STRING_FIELDS,
      batchAbsent: BATCH_ABSENT,
    },
    resourceLimits: {
      maxOldGenerationSizeMb: WRITER_MAX_OLD_GENERATION_MB,
      maxYoungGenerationSizeMb: WRITER_MAX_YOUNG_GENERATION_MB,
    },
  })

  let last: StoreStats | undefined
  let pending = new EventBatch(BATCH_INITIAL_BYTES)
  let inFlight = 0
  let droppedHere = 0
  let timer: NodeJS.Timeout | undefined
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
      } else if (msg.type === 'stats') {
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
    clearTimeout(timer)
    timer = undefined
    if (pending.count === 0) return
    const batch = pending
    pending = new EventBatch(Math.max(BATCH_INITIAL_BYTES, batch.bytes.length))
    inFlight += batch.count
    // allocUnsafeSlow: a Buffer over its own ArrayBuffer (never the shared pool), so it can be transferred.
    const buffer = batch.bytes.buffer as ArrayBuffer
    worker.postMessage(
      {
        type: 'events',
        buffer,
        byteLength: batch.offset,
        encoded: batch.encoded,
        objects: batch.objects,
      },
      [buffer],
    )
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
    maxQueue,
    record(event: SipEventInput): boolean {
      if (closing !== undefined || pending.count + inFlight >= maxQueue) {
        droppedHere++
        return false
      }
      pending.add(event)
      if (pending.count >= POST_BATCH) post()
      else timer ??= setTimeout(post, POST_INTERVAL_MS)
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
        queueDepth: s.queueDepth + pending.count + inFlight,
        accepted: s.accepted + pending.count + inFlight,
        dropped: s.dropped + droppedHere,
      }
    },
  }
  return new Proxy(reader, {
    get(target, prop, receiver) {
      if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Store]
      const value = Reflect.get(target, prop, receiver)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
