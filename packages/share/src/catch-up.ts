import type { Connection, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { type LengthPrefixedStream, lpStream } from '@libp2p/utils'
import { controlFrame, decodeFrame, type Frame, recordsFrame } from './frame.ts'
import type { CatchUpResult } from './index.ts'
import type { NodeContext } from './node-context.ts'
import { openRecords } from './open-records.ts'
import type { OpenResult } from './signed-record.ts'
import { varintLength } from './varint.ts'

/** Bytes of a record id prefix listed in a `fetch` request (first 8 bytes of the 16-byte id). */
const KNOWN_PREFIX_BYTES = 8

type Lp = LengthPrefixedStream<Stream>

/** Reads one frame; `undefined` at end of stream, on timeout or on a malformed frame. */
export async function readFrame(
  lp: Lp,
  timeoutMs: number,
): Promise<Frame | { malformed: string } | undefined> {
  let data: Uint8Array
  try {
    data = (await lp.read({ signal: AbortSignal.timeout(timeoutMs) })).subarray()
  } catch {
    return undefined
  }
  const res = decodeFrame(data)
  if (!res.ok) return { malformed: `${res.message} at ${res.offset}` }
  return res.frame
}

/** Refuses a request: one control frame, then the stream is closed. */
export async function refuse(lp: Lp, stream: Stream, code: string, reason: string): Promise<void> {
  try {
    await lp.write(controlFrame({ type: 'refused', code, reason }))
    await stream.close()
  } catch {
    stream.abort(new Error('refused'))
  }
}

/** Checks rate limit and standing for a request; refuses and returns false when not allowed. */
export async function admit<R>(ctx: NodeContext<R>, peer: string, lp: Lp, stream: Stream): Promise<boolean> {
  if (!ctx.requestLimiter.take(peer)) {
    ctx.counters.requestsRefused++
    ctx.standing.refused(peer)
    await refuse(lp, stream, 'RATE_LIMITED', 'too many requests, slow down')
    return false
  }
  if (!ctx.standing.has(peer)) {
    ctx.counters.requestsRefused++
    ctx.standing.refused(peer)
    await refuse(lp, stream, 'NO_STANDING', ctx.standing.of(peer).reason)
    return false
  }
  ctx.counters.requestsServed++
  ctx.standing.served(peer)
  return true
}

function prefixesToBase64(ids: Iterable<string>, max: number): string {
  const list: string[] = []
  for (const id of ids) {
    if (list.length >= max) break
    list.push(id.slice(0, KNOWN_PREFIX_BYTES * 2))
  }
  return Buffer.from(list.join(''), 'hex').toString('base64')
}

function base64ToPrefixes(b64: string, max: number): Set<string> | undefined {
  const bytes = Buffer.from(b64, 'base64')
  if (bytes.length % KNOWN_PREFIX_BYTES !== 0 || bytes.length / KNOWN_PREFIX_BYTES > max) return undefined
  const hex = bytes.toString('hex')
  const out = new Set<string>()
  for (let i = 0; i < hex.length; i += KNOWN_PREFIX_BYTES * 2)
    out.add(hex.slice(i, i + KNOWN_PREFIX_BYTES * 2))
  return out
}

/** Serves one catch-up exchange (the responder side, docs/p2p.md "Catch-up"). */
export async function serveCatchUp<R>(
  ctx: NodeContext<R>,
  stream: Stream,
  connection: Connection,
): Promise<void> {
  const o = ctx.options
  const peer = connection.remotePeer.toString()
  const lp = lpStream(stream, { maxDataLength: o.maxFrameBytes })
  try {
    const first = await readFrame(lp, o.requestTimeoutMs)
    if (
      first === undefined ||
      !('type' in first) ||
      first.type !== 'control' ||
      first.message.type !== 'digest-request'
    ) {
      await refuse(lp, stream, 'BAD_REQUEST', 'expected a digest-request control frame')
      return
    }
    if (!(await admit(ctx, peer, lp, stream))) return
    if (first.message.bucketMs !== o.bucketMs) {
      await refuse(lp, stream, 'BUCKET_MISMATCH', `this node uses bucketMs ${o.bucketMs}`)
      return
    }
    const now = Date.now()
    const floor = now - o.maxAgeMs
    const since = typeof first.message.since === 'number' ? Math.max(first.message.since, floor) : floor
    const digests = ctx.index.digests(since)
    await lp.write(
      controlFrame({
        type: 'digest',
        bucketMs: o.bucketMs,
        buckets: digests.map((d) => [d.start, d.count, d.xor]),
      }),
    )
    let sent = 0
    const fetched = new Set<number>()
    for (;;) {
      const f = await readFrame(lp, o.requestTimeoutMs)
      if (f === undefined || 'malformed' in f || f.type !== 'control') break
      const m = f.message
      if (m.type === 'done') break
      if (
        m.type !== 'fetch' ||
        typeof m.bucket !== 'number' ||
        m.bucket % o.bucketMs !== 0 ||
        typeof m.known !== 'string'
      ) {
        await refuse(lp, stream, 'BAD_REQUEST', 'expected fetch or done')
        return
      }
      // each bucket of the window at most once per exchange: a requester cannot make us rescan forever
      if (fetched.has(m.bucket) || m.bucket < floor - o.bucketMs || m.bucket > now + o.maxFutureSkewMs) {
        await refuse(lp, stream, 'BAD_REQUEST', 'bucket fetched twice or outside the window')
        return
      }
      fetched.add(m.bucket)
      const known = base64ToPrefixes(m.known, o.maxKnownIdsPerBucket)
      if (known === undefined) {
        await refuse(lp, stream, 'BAD_REQUEST', 'known must be base64 of 8-byte id prefixes')
        return
      }
      const start = m.bucket
      const end = start + o.bucketMs
      let page: Uint8Array[] = []
      let pageBytes = 1
      const flush = async (): Promise<void> => {
        await lp.write(recordsFrame(page))
        page = []
        pageBytes = 1
      }
      let inBucket = 0
      for await (const signed of ctx.source.recordsSince(Math.max(start, floor), end)) {
        if (sent >= o.maxRecordsPerCatchUp) break
        if (signed.collectedAt < start || signed.collectedAt >= end || signed.collectedAt < floor) continue
        if (!ctx.index.has(signed.id) || known.has(signed.id.slice(0, KNOWN_PREFIX_BYTES * 2))) continue
        const size = varintLength(signed.bytes.length) + signed.bytes.length
        // a page never exceeds the frame limit, whatever the record sizes
        if (page.length > 0 && pageBytes + size > o.maxFrameBytes) await flush()
        page.push(signed.bytes)
        pageBytes += size
        sent++
        inBucket++
        if (page.length >= o.pageSize) await flush()
      }
      if (page.length > 0) await flush()
      await lp.write(controlFrame({ type: 'end', bucket: start, sent: inBucket }))
    }
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
  }
}

type Tally = { received: number; accepted: number; duplicates: number; invalid: number }

/** Hands opened records to the node in order: counts refusals against `from`, skips known ids. */
async function deliver<R>(
  ctx: NodeContext<R>,
  from: string,
  opened: OpenResult<R>[],
  result: Tally,
): Promise<void> {
  for (const res of opened) {
    result.received++
    if (!res.ok) {
      result.invalid++
      ctx.invalid(from, res.error.code)
      continue
    }
    if (ctx.index.has(res.signed.id)) {
      result.duplicates++
      ctx.counters.duplicates++
      continue
    }
    if (await ctx.accept(res.signed, from, 'catch-up')) result.accepted++
  }
}

/**
 * Catch-up pages in flight: each page's signatures are checked (on the worker pool) as soon as it is
 * read, while the next pages are read; pages are delivered strictly in the order they arrived.
 */
class PagePipeline<R> {
  private readonly ctx: NodeContext<R>
  private readonly peer: string
  private readonly result: Tally
  /** Delivery of each page in flight, oldest first. */
  private readonly queue: Promise<void>[] = []
  private tail: Promise<void> = Promise.resolve()
  private failure: Error | undefined

  constructor(ctx: NodeContext<R>, peer: string, result: Tally) {
    this.ctx = ctx
    this.peer = peer
    this.result = result
  }

  /** Starts checking a page; waits first while more than `max` pages are in flight. */
  async push(records: Uint8Array[], max: number): Promise<void> {
    if (this.failure !== undefined) throw this.failure
    const opened = openRecords(records, this.ctx.rules, this.ctx.verifyPool())
    opened.catch(() => undefined) // awaited in order by deliverPage
    const done = this.tail.then(() => this.deliverPage(opened))
    this.tail = done
    this.queue.push(done)
    while (this.queue.length > max) {
      await this.queue[0]
      this.queue.shift()
    }
    if (this.failure !== undefined) throw this.failure
  }

  private async deliverPage(opened: Promise<OpenResult<R>[]>): Promise<void> {
    try {
      const list = await opened
      if (this.failure === undefined) await deliver(this.ctx, this.peer, list, this.result)
    } catch (err) {
      this.failure ??= err as Error
    }
  }

  /** Waits until every page read so far is delivered; throws the first failure (a verification one). */
  async drain(): Promise<void> {
    await this.tail
    if (this.failure !== undefined) throw this.failure
  }
}

/** Runs one catch-up exchange with `peer` (the requester side). Never throws. */
export async function catchUpWith<R>(ctx: NodeContext<R>, peer: string): Promise<CatchUpResult> {
  const o = ctx.options
  const result: CatchUpResult = {
    peer,
    ok: false,
    bucketsCompared: 0,
    bucketsFetched: 0,
    received: 0,
    accepted: 0,
    duplicates: 0,
    invalid: 0,
  }
  let stream: Stream
  try {
    stream = await ctx.libp2p().dialProtocol(peerIdFromString(peer), ctx.ids.catchUp, {
      signal: AbortSignal.timeout(o.requestTimeoutMs),
    })
  } catch (err) {
    result.error = `dial failed: ${(err as Error).message}`
    return result
  }
  const lp = lpStream(stream, { maxDataLength: o.maxFrameBytes })
  const pages = new PagePipeline(ctx, peer, result)
  let read = 0
  try {
    await lp.write(
      controlFrame({ type: 'digest-request', since: Date.now() - o.maxAgeMs, bucketMs: o.bucketMs }),
    )
    const first = await readFrame(lp, o.requestTimeoutMs)
    if (first === undefined || 'malformed' in first || first.type !== 'control') {
      result.error = 'no digest in answer'
      stream.abort(new Error(result.error))
      return result
    }
    if (first.message.type === 'refused') {
      result.refused = { code: String(first.message.code), reason: String(first.message.reason) }
      await stream.close().catch(() => undefined)
      return result
    }
    const buckets = first.message.buckets
    if (first.message.type !== 'digest' || !Array.isArray(buckets)) {
      result.error = 'expected a digest'
      stream.abort(new Error(result.error))
      return result
    }
    for (const b of buckets) {
      if (read >= o.maxRecordsPerCatchUp) break
      if (
        !Array.isArray(b) ||
        typeof b[0] !== 'number' ||
        typeof b[1] !== 'number' ||
        typeof b[2] !== 'string'
      )
        continue
      const [start, count, xor] = b as [number, number, string]
      if (start % o.bucketMs !== 0) continue
      result.bucketsCompared++
      const local = ctx.index.digest(start)
      if (count === 0 || (local !== undefined && local.count === count && local.xor === xor)) continue
      result.bucketsFetched++
      await lp.write(
        controlFrame({
          type: 'fetch',
          bucket: start,
          known: prefixesToBase64(ctx.index.idsInBucket(start), o.maxKnownIdsPerBucket),
        }),
      )
      for (;;) {
        const f = await readFrame(lp, o.requestTimeoutMs)
        if (f === undefined || 'malformed' in f)
          throw new Error(f === undefined ? 'stream ended during fetch' : f.malformed)
        if (f.type === 'records') {
          read += f.records.length
          if (read > o.maxRecordsPerCatchUp + o.pageSize) throw new Error('peer sent too many records')
          await pages.push(f.records, o.catchUpPagesInFlight)
          continue
        }
        if (f.message.type === 'end') break
        if (f.message.type === 'refused') {
          await pages.drain()
          result.refused = { code: String(f.message.code), reason: String(f.message.reason) }
          await stream.close().catch(() => undefined)
          return result
        }
        throw new Error(`unexpected control frame ${String(f.message.type)}`)
      }
    }
    await lp.write(controlFrame({ type: 'done' }))
    await stream.close()
    await pages.drain()
    result.ok = true
  } catch (err) {
    stream.abort(err as Error)
    // pages read before the failure are still delivered, as when they were processed one by one
    await pages.drain().catch(() => undefined)
    result.error = (err as Error).message
  }
  return result
}
