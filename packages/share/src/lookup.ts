import { createHash } from 'node:crypto'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { KadDHT } from '@libp2p/kad-dht'
import { lpStream } from '@libp2p/utils'
import { admit, readFrame, refuse } from './catch-up.ts'
import { confirmation } from './confirmation.ts'
import { MAX_LOOKUP_DHT_WALK_MS } from './constants.ts'
import { controlFrame, recordsFrame } from './frame.ts'
import type { LookupReport, LookupResult, SignedRecord } from './index.ts'
import type { NodeContext } from './node-context.ts'
import { openRecord } from './signed-record.ts'

/** Longest key accepted in a lookup request. */
const MAX_KEY_LENGTH = 1024

/** DHT key of an application key: SHA-256 over the namespace and the key. */
export function dhtKey(namespace: string, key: string): Uint8Array {
  return createHash('sha256').update(`/${namespace}/share/key/${key}`).digest()
}

async function* recordsWithKey<R>(ctx: NodeContext<R>, key: string): AsyncIterable<SignedRecord<R>> {
  if (ctx.source.recordsByKey !== undefined) {
    yield* ctx.source.recordsByKey(key)
    return
  }
  if (!ctx.index.hasKey(key)) return
  for await (const s of ctx.source.recordsSince(Date.now() - ctx.options.maxAgeMs)) {
    if (s.key === key) yield s
  }
}

/** Serves one lookup request (responder side). */
export async function serveLookup<R>(
  ctx: NodeContext<R>,
  stream: Stream,
  connection: Connection,
): Promise<void> {
  const o = ctx.options
  const peer = connection.remotePeer.toString()
  const lp = lpStream(stream, { maxDataLength: o.maxFrameBytes })
  try {
    const f = await readFrame(lp, o.requestTimeoutMs)
    if (
      f === undefined ||
      'malformed' in f ||
      f.type !== 'control' ||
      f.message.type !== 'lookup' ||
      typeof f.message.key !== 'string' ||
      f.message.key.length > MAX_KEY_LENGTH
    ) {
      await refuse(lp, stream, 'BAD_REQUEST', 'expected a lookup control frame with a key')
      return
    }
    if (!(await admit(ctx, peer, lp, stream))) return
    const key = f.message.key
    const floor = Date.now() - o.maxAgeMs
    const out: Uint8Array[] = []
    for await (const s of recordsWithKey(ctx, key)) {
      if (out.length >= o.maxLookupRecords) break
      if (s.key === key && s.collectedAt >= floor && ctx.index.has(s.id)) out.push(s.bytes)
    }
    await lp.write(recordsFrame(out))
    await lp.write(controlFrame({ type: 'end', sent: out.length }))
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
  }
}

async function askPeer<R>(
  ctx: NodeContext<R>,
  peer: PeerId,
  key: string,
): Promise<{ answered: boolean; refused: boolean; reports: LookupReport<R>[] }> {
  const o = ctx.options
  const out = { answered: false, refused: false, reports: [] as LookupReport<R>[] }
  let stream: Stream
  try {
    stream = await ctx.libp2p().dialProtocol(peer, ctx.ids.lookup, {
      signal: AbortSignal.timeout(o.requestTimeoutMs),
    })
  } catch {
    return out
  }
  const lp = lpStream(stream, { maxDataLength: o.maxFrameBytes })
  const from = peer.toString()
  try {
    await lp.write(controlFrame({ type: 'lookup', key }))
    for (;;) {
      const f = await readFrame(lp, o.requestTimeoutMs)
      if (f === undefined || 'malformed' in f) break
      if (f.type === 'records') {
        for (const bytes of f.records.slice(0, o.maxLookupRecords)) {
          const res = await openRecord(bytes, ctx.rules)
          if (!res.ok) {
            ctx.invalid(from, res.error.code)
            continue
          }
          if (res.signed.key !== key) {
            ctx.invalid(from, 'WRONG_KEY')
            continue
          }
          out.reports.push({ signed: res.signed, from })
        }
        continue
      }
      if (f.message.type === 'refused') {
        out.refused = true
        break
      }
      if (f.message.type === 'end') {
        out.answered = true
        break
      }
    }
    await stream.close().catch(() => undefined)
  } catch (err) {
    stream.abort(err as Error)
  }
  return out
}

/** Asks the DHT's closest peers to the key and the connected peers for signed reports of `key`. */
export async function lookupKey<R>(
  ctx: NodeContext<R>,
  dht: KadDHT | undefined,
  key: string,
): Promise<LookupResult<R>> {
  const o = ctx.options
  const libp2p = ctx.libp2p()
  const candidates = new Map<string, PeerId>()
  if (dht !== undefined) {
    try {
      for await (const event of dht.getClosestPeers(dhtKey(o.namespace, key), {
        signal: AbortSignal.timeout(Math.min(o.requestTimeoutMs, MAX_LOOKUP_DHT_WALK_MS)),
      })) {
        if (event.name === 'FINAL_PEER' && !event.peer.id.equals(libp2p.peerId)) {
          candidates.set(event.peer.id.toString(), event.peer.id)
        }
        if (candidates.size >= o.lookupPeers) break
      }
    } catch {
      // a small or partitioned DHT: fall back to connected peers
    }
  }
  for (const p of libp2p.getPeers()) {
    if (candidates.size >= o.lookupPeers) break
    candidates.set(p.toString(), p)
  }
  const answers = await Promise.all([...candidates.values()].map((p) => askPeer(ctx, p, key)))
  const seen = new Set<string>()
  const reports: LookupReport<R>[] = []
  for (const a of answers) {
    for (const r of a.reports) {
      if (seen.has(r.signed.id)) continue
      seen.add(r.signed.id)
      reports.push(r)
    }
  }
  const collectors = [...ctx.index.collectorsOf(key), ...reports.map((r) => r.signed.collector)]
  const c = confirmation(key, collectors, { k: o.confirmations, self: ctx.self })
  return {
    key,
    reports,
    collectors: c.collectors,
    confirmed: c.confirmed,
    asked: candidates.size,
    answered: answers.filter((a) => a.answered).length,
    refused: answers.filter((a) => a.refused).length,
  }
}
