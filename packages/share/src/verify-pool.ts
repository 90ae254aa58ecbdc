import { Worker } from 'node:worker_threads'
import { VerifyWorkerError } from './errors.ts'
import { MAX_CACHED_KEYS, SODIUM_PATH } from './verify-ed25519.ts'
import { VERIFY_WORKER_SOURCE } from './verify-worker-source.ts'

/** One signature to check: raw 32-byte Ed25519 public key, 64-byte signature, the signed bytes. */
export interface VerifyItem {
  publicKey: Uint8Array
  signature: Uint8Array
  input: Uint8Array
}

/** Per item, in the order given: whether the signature verifies, and the record id of its input. */
export interface VerifyResults {
  ok: Uint8Array
  ids: string[]
}

export interface VerifyPoolInit {
  /** Most worker threads; they start on first use. */
  size: number
  /** Fewest items a batch is split into per worker. */
  minBatch: number
  /** Tries of a batch whose worker died (the first try included) before it fails. */
  maxAttempts: number
  /** Worker source; tests pass one that crashes. */
  source?: string
  /** Extra data for the worker (tests). */
  workerData?: Record<string, unknown>
}

interface Job {
  id: number
  items: VerifyItem[]
  attempts: number
  resolve(out: ArrayBuffer): void
  reject(err: Error): void
}

interface Slot {
  worker: Worker
  jobs: Map<number, Job>
  load: number
}

const RESULT_BYTES = 17

function pack(items: VerifyItem[]): ArrayBuffer {
  let size = 4
  for (const it of items) size += 100 + it.input.length
  const ab = new ArrayBuffer(size)
  const out = new Uint8Array(ab)
  const view = new DataView(ab)
  view.setUint32(0, items.length, true)
  let o = 4
  for (const it of items) {
    view.setUint32(o, it.input.length, true)
    out.set(it.publicKey, o + 4)
    out.set(it.signature, o + 36)
    out.set(it.input, o + 100)
    o += 100 + it.input.length
  }
  return ab
}

/**
 * A small pool of worker threads checking Ed25519 signatures in batches. Results keep the order of the
 * items. A worker that dies is replaced and its batches are tried again on another worker, up to
 * `maxAttempts` tries; then the batch fails with `VerifyWorkerError` (nothing is accepted from it).
 */
export class VerifyPool {
  private readonly init: VerifyPoolInit
  private readonly slots: Slot[] = []
  private nextJob = 1
  private stopped = false
  /** Workers that died while the pool was running. */
  crashes = 0
  /** Batches sent again after their worker died. */
  retries = 0

  constructor(init: VerifyPoolInit) {
    if (!Number.isInteger(init.size) || init.size < 1) throw new RangeError('pool size must be >= 1')
    this.init = init
  }

  /** Live worker threads. */
  get workers(): number {
    return this.slots.length
  }

  /** Thread ids of the live workers (tests). */
  get threadIds(): number[] {
    return this.slots.map((s) => s.worker.threadId)
  }

  /** Checks every item's signature; rejects with `VerifyWorkerError` when a batch cannot be checked. */
  async verify(items: VerifyItem[]): Promise<VerifyResults> {
    const ok = new Uint8Array(items.length)
    const ids: string[] = new Array(items.length)
    if (items.length === 0) return { ok, ids }
    const chunks = Math.max(1, Math.min(this.init.size, Math.ceil(items.length / this.init.minBatch)))
    const per = Math.ceil(items.length / chunks)
    const parts: Promise<void>[] = []
    for (let start = 0; start < items.length; start += per) {
      const slice = items.slice(start, start + per)
      parts.push(
        this.run(slice).then((ab) => {
          const out = Buffer.from(ab)
          for (let i = 0; i < slice.length; i++) {
            ok[start + i] = out[i * RESULT_BYTES] === 1 ? 1 : 0
            ids[start + i] = out.toString('hex', i * RESULT_BYTES + 1, (i + 1) * RESULT_BYTES)
          }
        }),
      )
    }
    await Promise.all(parts)
    return { ok, ids }
  }

  private run(items: VerifyItem[]): Promise<ArrayBuffer> {
    return new Promise<ArrayBuffer>((resolve, reject) => {
      this.dispatch({ id: this.nextJob++, items, attempts: 0, resolve, reject })
    })
  }

  private dispatch(job: Job): void {
    if (this.stopped) {
      job.reject(new VerifyWorkerError('the verification pool is stopped'))
      return
    }
    job.attempts++
    let slot: Slot
    try {
      slot = this.pick()
    } catch (err) {
      job.reject(new VerifyWorkerError(`cannot start a verification worker: ${(err as Error).message}`))
      return
    }
    slot.jobs.set(job.id, job)
    slot.load += job.items.length
    slot.worker.ref()
    const buf = pack(job.items)
    slot.worker.postMessage({ id: job.id, buf }, [buf])
  }

  /** The least loaded worker, starting a new one while below `size`. */
  private pick(): Slot {
    let best: Slot | undefined
    for (const s of this.slots) if (best === undefined || s.load < best.load) best = s
    if (best !== undefined && (best.load === 0 || this.slots.length >= this.init.size)) return best
    return this.spawn()
  }

  private spawn(): Slot {
    const worker = new Worker(this.init.source ?? VERIFY_WORKER_SOURCE, {
      eval: true,
      workerData: { maxCachedKeys: MAX_CACHED_KEYS, sodiumPath: SODIUM_PATH, ...this.init.workerData },
    })
    const slot: Slot = { worker, jobs: new Map(), load: 0 }
    this.slots.push(slot)
    worker.on('message', (msg: { id: number; out: ArrayBuffer }) => {
      const job = slot.jobs.get(msg.id)
      if (job === undefined) return
      slot.jobs.delete(msg.id)
      slot.load -= job.items.length
      if (slot.jobs.size === 0) worker.unref()
      job.resolve(msg.out)
    })
    // an uncaught error in the worker is followed by 'exit'; the batches are handled there
    worker.on('error', () => undefined)
    worker.on('exit', () => this.died(slot))
    return slot
  }

  private died(slot: Slot): void {
    const i = this.slots.indexOf(slot)
    if (i >= 0) this.slots.splice(i, 1)
    if (this.stopped) return
    this.crashes++
    const pending = [...slot.jobs.values()]
    slot.jobs.clear()
    for (const job of pending) {
      if (job.attempts < this.init.maxAttempts) {
        this.retries++
        this.dispatch(job)
      } else {
        job.reject(
          new VerifyWorkerError(
            `verification worker died ${job.attempts} times on a batch of ${job.items.length}`,
          ),
        )
      }
    }
  }

  /** Terminates every worker; pending batches fail with `VerifyWorkerError`. */
  async stop(): Promise<void> {
    this.stopped = true
    const slots = this.slots.splice(0)
    for (const s of slots) {
      for (const job of s.jobs.values()) job.reject(new VerifyWorkerError('the verification pool is stopped'))
      s.jobs.clear()
    }
    await Promise.all(slots.map((s) => s.worker.terminate()))
  }
}
