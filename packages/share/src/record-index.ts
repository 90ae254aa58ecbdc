/** What the index keeps per record: enough for digests, standing, confirmations and lookups. */
export interface IndexEntry {
  id: string
  key: string
  collector: string
  collectedAt: number
  bucket: number
}

/** Digest of one time bucket: record count and XOR of the record ids (order independent). */
export interface BucketDigest {
  start: number
  count: number
  xor: string
}

interface Bucket {
  ids: Set<string>
  xor: Uint8Array
}

const ID_BYTES = 16

function xorInto(target: Uint8Array, idHex: string): void {
  for (let i = 0; i < ID_BYTES; i++) {
    target[i] = (target[i] ?? 0) ^ Number.parseInt(idHex.slice(i * 2, i * 2 + 2), 16)
  }
}

function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/**
 * In-memory index of the records a node knows (its own and accepted ones) inside the max-age window.
 * Record bodies stay in the application's store; the index holds ids and metadata only.
 */
export class RecordIndex {
  readonly bucketMs: number
  private readonly byId = new Map<string, IndexEntry>()
  private readonly buckets = new Map<number, Bucket>()
  private readonly byKey = new Map<string, Set<string>>()
  /** Per collector, records per bucket: standing asks for counts often (gossipsub, `/peers`). */
  private readonly byCollector = new Map<string, Map<number, number>>()

  constructor(bucketMs: number) {
    this.bucketMs = bucketMs
  }

  get size(): number {
    return this.byId.size
  }

  bucketOf(time: number): number {
    return Math.floor(time / this.bucketMs) * this.bucketMs
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  /** Adds a record; false when it was already known. */
  add(id: string, key: string, collector: string, collectedAt: number): boolean {
    if (this.byId.has(id)) return false
    const bucket = this.bucketOf(collectedAt)
    this.byId.set(id, { id, key, collector, collectedAt, bucket })
    let b = this.buckets.get(bucket)
    if (b === undefined) {
      b = { ids: new Set(), xor: new Uint8Array(ID_BYTES) }
      this.buckets.set(bucket, b)
    }
    b.ids.add(id)
    xorInto(b.xor, id)
    let k = this.byKey.get(key)
    if (k === undefined) {
      k = new Set()
      this.byKey.set(key, k)
    }
    k.add(id)
    let c = this.byCollector.get(collector)
    if (c === undefined) {
      c = new Map()
      this.byCollector.set(collector, c)
    }
    c.set(bucket, (c.get(bucket) ?? 0) + 1)
    return true
  }

  /** Drops every record collected before `cutoff`; returns how many were dropped. */
  prune(cutoff: number): number {
    let dropped = 0
    for (const [start, bucket] of this.buckets) {
      if (start + this.bucketMs > cutoff) continue
      for (const id of bucket.ids) {
        this.remove(id)
        dropped++
      }
    }
    // the bucket holding the cutoff keeps newer records; drop its expired ones one by one
    const edge = this.buckets.get(this.bucketOf(cutoff))
    if (edge !== undefined) {
      for (const id of [...edge.ids]) {
        const entry = this.byId.get(id)
        if (entry !== undefined && entry.collectedAt < cutoff) {
          this.remove(id)
          dropped++
        }
      }
    }
    return dropped
  }

  /** Forgets one record. */
  remove(id: string): void {
    const entry = this.byId.get(id)
    if (entry === undefined) return
    this.byId.delete(id)
    const bucket = this.buckets.get(entry.bucket)
    if (bucket !== undefined) {
      bucket.ids.delete(id)
      xorInto(bucket.xor, id)
      if (bucket.ids.size === 0) this.buckets.delete(entry.bucket)
    }
    const k = this.byKey.get(entry.key)
    k?.delete(id)
    if (k?.size === 0) this.byKey.delete(entry.key)
    const c = this.byCollector.get(entry.collector)
    if (c !== undefined) {
      const n = (c.get(entry.bucket) ?? 0) - 1
      if (n > 0) c.set(entry.bucket, n)
      else c.delete(entry.bucket)
      if (c.size === 0) this.byCollector.delete(entry.collector)
    }
  }

  /** Digests of every non-empty bucket starting at or after `since`'s bucket, oldest first. */
  digests(since: number): BucketDigest[] {
    const from = this.bucketOf(since)
    const out: BucketDigest[] = []
    for (const [start, bucket] of this.buckets) {
      if (start >= from && bucket.ids.size > 0)
        out.push({ start, count: bucket.ids.size, xor: toHex(bucket.xor) })
    }
    return out.sort((a, b) => a.start - b.start)
  }

  digest(start: number): BucketDigest | undefined {
    const bucket = this.buckets.get(start)
    if (bucket === undefined || bucket.ids.size === 0) return undefined
    return { start, count: bucket.ids.size, xor: toHex(bucket.xor) }
  }

  idsInBucket(start: number): Iterable<string> {
    return this.buckets.get(start)?.ids ?? []
  }

  /** Distinct collectors of the records with this key. */
  collectorsOf(key: string): string[] {
    const ids = this.byKey.get(key)
    if (ids === undefined) return []
    const out = new Set<string>()
    for (const id of ids) {
      const e = this.byId.get(id)
      if (e !== undefined) out.add(e.collector)
    }
    return [...out]
  }

  /** Whether any record has this key. */
  hasKey(key: string): boolean {
    return this.byKey.has(key)
  }

  /** Records collected by `collector` at or after `since`. */
  countByCollector(collector: string, since: number): number {
    const counts = this.byCollector.get(collector)
    if (counts === undefined) return 0
    const edge = this.bucketOf(since)
    let n = 0
    for (const [bucket, count] of counts) if (bucket > edge) n += count
    // the bucket holding `since`: count its records one by one
    if ((counts.get(edge) ?? 0) > 0) {
      for (const id of this.buckets.get(edge)?.ids ?? []) {
        const e = this.byId.get(id)
        if (e !== undefined && e.collector === collector && e.collectedAt >= since) n++
      }
    }
    return n
  }

  collectors(): Iterable<string> {
    return this.byCollector.keys()
  }
}
