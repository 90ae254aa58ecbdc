import { createHash } from 'node:crypto'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { type GossipSub, gossipsub, type Message, StrictSign, TopicValidatorResult } from '@libp2p/gossipsub'
import { createTopicScoreParams } from '@libp2p/gossipsub/score'
import { type Identify, identify } from '@libp2p/identify'
import type { Libp2p, PeerId, PrivateKey } from '@libp2p/interface'
import { type KadDHT, kadDHT, passthroughMapper, removePrivateAddressesMapper } from '@libp2p/kad-dht'
import { mdns } from '@libp2p/mdns'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { type Ping, ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { catchUpWith, serveCatchUp } from './catch-up.ts'
import { confirmation } from './confirmation.ts'
import {
  GOSSIP_THRESHOLD,
  GRAYLIST_THRESHOLD,
  INVALID_RECORD_WEIGHT,
  NO_STANDING_SCORE,
  PUBLISH_THRESHOLD,
} from './constants.ts'
import { NotStartedError, SharingDisabledError } from './errors.ts'
import type {
  CatchUpResult,
  Confirmation,
  LookupResult,
  PeerStanding,
  PublishResult,
  RecordVia,
  ShareComponents,
  ShareEvents,
  ShareInit,
  ShareNode,
  ShareStats,
  SignedRecord,
} from './index.ts'
import { lookupKey, serveLookup } from './lookup.ts'
import type { NodeContext } from './node-context.ts'
import { RecordIndex } from './record-index.ts'
import { type ProtocolIds, protocolIds, type ResolvedOptions, resolveOptions } from './resolve-options.ts'
import { openRecord, type RecordRules, signRecord } from './signed-record.ts'
import { StandingBook } from './standing-book.ts'
import { TokenBuckets } from './token-bucket.ts'
import { VerifyPool } from './verify-pool.ts'

/** Largest analytics message (a JSON object of counters). */
const MAX_ANALYTICS_BYTES = 4096
/** Most counters in one analytics message. */
const MAX_ANALYTICS_COUNTERS = 64
/** How often expired records leave the index. */
const PRUNE_INTERVAL_MS = 60_000

type Services = {
  identify: Identify
  ping: Ping
  dht: KadDHT
  pubsub: GossipSub
}

/** Parts of the gossipsub implementation not in its exported interface. */
interface ScoredGossip {
  getScore(peerId: string): number
  getMeshPeers(topic: string): string[]
}

class DefaultShareNode<R> implements ShareNode<R> {
  readonly peerId: string
  private readonly options: ResolvedOptions
  private readonly privateKey: PrivateKey
  private readonly components: ShareComponents<R>
  private readonly rules: RecordRules<R>
  private readonly ids: ProtocolIds
  private readonly index: RecordIndex
  private readonly book: StandingBook
  private readonly gossipLimiter: TokenBuckets
  private readonly requestLimiter: TokenBuckets
  private readonly listeners = new Map<string, Set<(detail: never) => void>>()
  private readonly timers: NodeJS.Timeout[] = []
  private readonly catchUpsInFlight = new Map<string, Promise<CatchUpResult>>()
  private node: Libp2p<Services> | undefined
  private pool: VerifyPool | undefined
  private verifyWorkerCrashes = 0
  private readonly ctx: NodeContext<R>
  private readonly counters = {
    published: 0,
    receivedGossip: 0,
    receivedCatchUp: 0,
    duplicates: 0,
    invalid: 0,
    rateLimited: 0,
    requestsServed: 0,
    requestsRefused: 0,
    catchUps: 0,
    sinkErrors: 0,
  }
  private readonly invalidByCode: Record<string, number> = {}

  constructor(init: ShareInit, components: ShareComponents<R>) {
    this.options = resolveOptions(init)
    this.privateKey = init.privateKey
    this.components = components
    this.peerId = peerIdFromPrivateKey(init.privateKey).toString()
    this.ids = protocolIds(this.options.namespace)
    const o = this.options
    this.rules = {
      namespace: o.namespace,
      codec: components.codec,
      key: components.key,
      collectedAt: components.collectedAt,
      validate: components.validate,
      maxRecordBytes: o.maxRecordBytes,
      maxAgeMs: o.maxAgeMs,
      maxFutureSkewMs: o.maxFutureSkewMs,
    }
    this.index = new RecordIndex(o.bucketMs)
    this.book = new StandingBook(
      {
        windowMs: o.standingWindowMs,
        minRecords: o.standingMinRecords,
        gracePeriodMs: o.gracePeriodMs,
        maxTrackedPeers: o.maxTrackedPeers,
      },
      this.index,
      this.peerId,
    )
    this.gossipLimiter = new TokenBuckets(o.recordsPerPeerPerSecond, o.recordsBurst, o.maxTrackedPeers)
    this.requestLimiter = new TokenBuckets(
      o.requestsPerPeerPerMinute / 60,
      o.requestsPerPeerPerMinute,
      o.maxTrackedPeers,
    )
    this.ctx = {
      self: this.peerId,
      options: o,
      ids: this.ids,
      rules: this.rules,
      index: this.index,
      standing: this.book,
      requestLimiter: this.requestLimiter,
      source: components.source,
      libp2p: () => this.libp2p(),
      verifyPool: () => this.verifyPool(),
      accept: (signed, from, via) => this.accept(signed, from, via),
      invalid: (from, code) => this.invalid(from, code),
      counters: this.counters,
    }
  }

  get started(): boolean {
    return this.node !== undefined
  }

  get multiaddrs(): string[] {
    return this.node?.getMultiaddrs().map((m) => m.toString()) ?? []
  }

  private libp2p(): Libp2p<Services> {
    if (this.node === undefined) throw new NotStartedError()
    return this.node
  }

  /** The verification workers, started on first use; none with `verifyWorkers: 0` or when stopped. */
  private verifyPool(): VerifyPool | undefined {
    const o = this.options
    if (o.verifyWorkers === 0 || this.node === undefined) return undefined
    this.pool ??= new VerifyPool({
      size: o.verifyWorkers,
      minBatch: o.minVerifyBatch,
      maxAttempts: o.verifyAttempts,
    })
    return this.pool
  }

  private emit<E extends keyof ShareEvents<R>>(event: E, detail: ShareEvents<R>[E]): void {
    for (const l of this.listeners.get(event) ?? []) {
      try {
        ;(l as (d: ShareEvents<R>[E]) => void)(detail)
      } catch {
        // a listener's failure is the application's; it must not break the protocol
      }
    }
  }

  on<E extends keyof ShareEvents<R>>(event: E, listener: (detail: ShareEvents<R>[E]) => void): () => void {
    let set = this.listeners.get(event)
    if (set === undefined) {
      set = new Set()
      this.listeners.set(event, set)
    }
    set.add(listener as (d: never) => void)
    return () => set.delete(listener as (d: never) => void)
  }

  private invalid(from: string, code: string): void {
    this.counters.invalid++
    this.invalidByCode[code] = (this.invalidByCode[code] ?? 0) + 1
    this.book.invalid(from)
  }

  private async accept(signed: SignedRecord<R>, from: string, via: RecordVia): Promise<boolean> {
    if (!this.index.add(signed.id, signed.key, signed.collector, signed.collectedAt)) return false
    this.book.touch(signed.collector)
    if (via === 'gossip') this.counters.receivedGossip++
    else this.counters.receivedCatchUp++
    const confirmed = this.confirmation(signed.key).confirmed
    try {
      await this.components.sink.accept(signed, { from, via, confirmed })
    } catch {
      // not stored: forget it so digests stay true and a later catch-up fetches it again
      this.counters.sinkErrors++
      this.index.remove(signed.id)
      return false
    }
    this.emit('record', { signed, from, via, confirmed })
    return true
  }

  private async validateGossip(peer: PeerId, msg: Message): Promise<TopicValidatorResult> {
    const from = peer.toString()
    if (msg.type !== 'signed') return TopicValidatorResult.Reject
    if (!this.gossipLimiter.take(from)) {
      this.counters.rateLimited++
      this.book.rateLimited(from)
      return TopicValidatorResult.Ignore
    }
    const res = await openRecord(msg.data, this.rules)
    if (!res.ok) {
      this.invalid(from, res.error.code)
      // an honest relay may forward a record that expired in flight: ignore those, reject the rest
      return res.error.code === 'EXPIRED' ? TopicValidatorResult.Ignore : TopicValidatorResult.Reject
    }
    if (res.signed.collector !== msg.from.toString()) {
      // only the collector publishes its records on gossip; others' records travel by catch-up
      this.invalid(from, 'NOT_COLLECTOR')
      return TopicValidatorResult.Reject
    }
    if (this.index.has(res.signed.id)) {
      this.counters.duplicates++
      return TopicValidatorResult.Ignore
    }
    await this.accept(res.signed, from, 'gossip')
    return TopicValidatorResult.Accept
  }

  private validateAnalytics(peer: PeerId, msg: Message): TopicValidatorResult {
    if (msg.type !== 'signed' || msg.data.length > MAX_ANALYTICS_BYTES) return TopicValidatorResult.Reject
    let parsed: unknown
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(msg.data))
    } catch {
      return TopicValidatorResult.Reject
    }
    const p = parsed as { at?: unknown; counters?: unknown }
    if (typeof p !== 'object' || p === null || typeof p.at !== 'number') return TopicValidatorResult.Reject
    if (typeof p.counters !== 'object' || p.counters === null || Array.isArray(p.counters)) {
      return TopicValidatorResult.Reject
    }
    const entries = Object.entries(p.counters)
    if (
      entries.length > MAX_ANALYTICS_COUNTERS ||
      entries.some(([, v]) => typeof v !== 'number' || !Number.isFinite(v))
    ) {
      return TopicValidatorResult.Reject
    }
    if (!this.gossipLimiter.take(peer.toString())) return TopicValidatorResult.Ignore
    this.emit('analytics', {
      from: msg.from.toString(),
      at: p.at,
      counters: Object.fromEntries(entries) as Record<string, number>,
    })
    return TopicValidatorResult.Accept
  }

  private appScore(peer: string): number {
    return this.book.has(peer) ? 0 : NO_STANDING_SCORE
  }

  async start(): Promise<void> {
    if (this.node !== undefined) return
    const o = this.options
    const now = Date.now()
    for await (const s of this.components.source.recordsSince(now - o.maxAgeMs)) {
      this.index.add(s.id, s.key, s.collector, s.collectedAt)
    }
    const node = await createLibp2p<Services>({
      privateKey: this.privateKey,
      addresses: { listen: o.listen },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: o.mdns ? [mdns()] : [],
      start: false,
      services: {
        identify: identify(),
        ping: ping(),
        dht: kadDHT({
          protocol: this.ids.kad,
          clientMode: false,
          peerInfoMapper: o.allowPrivateAddresses ? passthroughMapper : removePrivateAddressesMapper,
        }),
        pubsub: gossipsub({
          globalSignaturePolicy: StrictSign,
          allowPublishToZeroTopicPeers: true,
          floodPublish: true,
          emitSelf: false,
          allowedTopics: [this.ids.recordsTopic, this.ids.analyticsTopic],
          msgIdFn: (msg) => createHash('sha256').update(msg.data).digest(),
          scoreParams: {
            appSpecificScore: (p) => this.appScore(p),
            appSpecificWeight: 1,
            IPColocationFactorThreshold: o.ipColocationThreshold,
            topics: {
              [this.ids.recordsTopic]: createTopicScoreParams({
                topicWeight: 1,
                timeInMeshWeight: 0,
                firstMessageDeliveriesWeight: 0,
                meshMessageDeliveriesWeight: 0,
                meshFailurePenaltyWeight: 0,
                invalidMessageDeliveriesWeight: INVALID_RECORD_WEIGHT,
                invalidMessageDeliveriesDecay: 0.99,
              }),
            },
          },
          scoreThresholds: {
            gossipThreshold: GOSSIP_THRESHOLD,
            publishThreshold: PUBLISH_THRESHOLD,
            graylistThreshold: GRAYLIST_THRESHOLD,
          },
        }),
      },
    })
    this.node = node
    node.addEventListener('peer:connect', (e) => this.book.seen(e.detail.toString()))
    node.addEventListener('peer:identify', (e) => {
      if (o.share && e.detail.protocols.includes(this.ids.catchUp))
        void this.catchUpOnce(e.detail.peerId.toString())
    })
    if (o.mdns) {
      node.addEventListener('peer:discovery', (e) => {
        void node.dial(e.detail.id).catch(() => undefined)
      })
    }
    if (o.share) {
      await node.handle(this.ids.catchUp, (stream, conn) => serveCatchUp(this.ctx, stream, conn))
      await node.handle(this.ids.lookup, (stream, conn) => serveLookup(this.ctx, stream, conn))
      node.services.pubsub.topicValidators.set(this.ids.recordsTopic, (p, m) => this.validateGossip(p, m))
    }
    if (o.analytics) {
      node.services.pubsub.topicValidators.set(this.ids.analyticsTopic, (p, m) =>
        this.validateAnalytics(p, m),
      )
    }
    await node.start()
    if (o.share) node.services.pubsub.subscribe(this.ids.recordsTopic)
    if (o.analytics) {
      node.services.pubsub.subscribe(this.ids.analyticsTopic)
      this.every(o.analyticsIntervalMs, () => this.publishAnalytics())
    }
    this.every(PRUNE_INTERVAL_MS, () => {
      this.index.prune(Date.now() - o.maxAgeMs)
    })
    if (o.share) {
      this.every(o.catchUpIntervalMs, () => {
        const peers = node.getPeers()
        const p = peers[Math.floor(Math.random() * peers.length)]
        if (p !== undefined) void this.catchUpOnce(p.toString())
      })
    }
    if (o.bootstrap.length > 0) {
      this.dialBootstrap()
      this.every(o.reconnectIntervalMs, () => this.dialBootstrap())
    }
  }

  private every(ms: number, fn: () => void | Promise<void>): void {
    const t = setInterval(() => {
      void Promise.resolve()
        .then(fn)
        .catch(() => undefined)
    }, ms)
    t.unref()
    this.timers.push(t)
  }

  private dialBootstrap(): void {
    const node = this.node
    if (node === undefined) return
    for (const addr of this.options.bootstrap) {
      let ma: ReturnType<typeof multiaddr>
      try {
        ma = multiaddr(addr)
      } catch {
        continue
      }
      const id = ma.getComponents().find((c) => c.name === 'p2p')?.value
      if (id !== undefined && node.getConnections(peerIdFromString(id)).length > 0) continue
      void node.dial(ma).catch(() => undefined)
    }
  }

  private async publishAnalytics(): Promise<void> {
    const node = this.node
    if (node === undefined) return
    const s = this.stats()
    const counters: Record<string, number> = {
      records: s.records,
      peers: s.peers,
      published: s.published,
      receivedGossip: s.receivedGossip,
      receivedCatchUp: s.receivedCatchUp,
      invalid: s.invalid,
      ...(this.components.analyticsCounters?.() ?? {}),
    }
    const data = new TextEncoder().encode(JSON.stringify({ at: Date.now(), counters }))
    await node.services.pubsub.publish(this.ids.analyticsTopic, data)
  }

  private catchUpOnce(peer: string): Promise<CatchUpResult> {
    const running = this.catchUpsInFlight.get(peer)
    if (running !== undefined) return running
    const p = catchUpWith(this.ctx, peer).then((r) => {
      this.catchUpsInFlight.delete(peer)
      this.counters.catchUps++
      this.emit('catch-up', r)
      return r
    })
    this.catchUpsInFlight.set(peer, p)
    return p
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t)
    const node = this.node
    if (node === undefined) return
    await Promise.allSettled(this.catchUpsInFlight.values())
    this.node = undefined
    const pool = this.pool
    this.pool = undefined
    if (pool !== undefined) {
      this.verifyWorkerCrashes += pool.crashes
      await pool.stop()
    }
    await node.stop()
  }

  async publish(record: R): Promise<PublishResult<R>> {
    const signed = await signRecord(record, this.privateKey, this.rules)
    this.index.add(signed.id, signed.key, signed.collector, signed.collectedAt)
    this.counters.published++
    if (!this.options.share || this.node === undefined) return { signed, recipients: 0 }
    const res = await this.node.services.pubsub.publish(this.ids.recordsTopic, signed.bytes)
    return { signed, recipients: res.recipients.length }
  }

  async catchUp(peer?: string): Promise<CatchUpResult[]> {
    if (!this.options.share) throw new SharingDisabledError()
    const node = this.libp2p()
    const peers = peer !== undefined ? [peer] : node.getPeers().map((p) => p.toString())
    return Promise.all(peers.map((p) => this.catchUpOnce(p)))
  }

  async lookup(key: string): Promise<LookupResult<R>> {
    if (!this.options.share) throw new SharingDisabledError()
    const node = this.libp2p()
    return lookupKey(this.ctx, node.services.dht, key)
  }

  confirmation(key: string): Confirmation {
    return confirmation(key, this.index.collectorsOf(key), {
      k: this.options.confirmations,
      self: this.peerId,
    })
  }

  private withGossip(s: PeerStanding): PeerStanding {
    const pubsub = this.node?.services.pubsub
    if (pubsub === undefined) return s
    s.gossipScore = (pubsub as unknown as ScoredGossip).getScore(s.peerId)
    s.inMesh = (pubsub as unknown as ScoredGossip).getMeshPeers(this.ids.recordsTopic).includes(s.peerId)
    return s
  }

  standing(): PeerStanding[] {
    const now = Date.now()
    return this.book.known().map((p) => this.withGossip(this.book.of(p, now)))
  }

  standingOf(peerId: string): PeerStanding {
    return this.withGossip(this.book.of(peerId, Date.now()))
  }

  async connect(addr: string): Promise<void> {
    await this.libp2p().dial(multiaddr(addr))
  }

  peers(): string[] {
    return this.node?.getPeers().map((p) => p.toString()) ?? []
  }

  stats(): ShareStats {
    return {
      records: this.index.size,
      published: this.counters.published,
      receivedGossip: this.counters.receivedGossip,
      receivedCatchUp: this.counters.receivedCatchUp,
      duplicates: this.counters.duplicates,
      invalid: this.counters.invalid,
      invalidByCode: { ...this.invalidByCode },
      rateLimited: this.counters.rateLimited,
      requestsServed: this.counters.requestsServed,
      requestsRefused: this.counters.requestsRefused,
      catchUps: this.counters.catchUps,
      sinkErrors: this.counters.sinkErrors,
      verifyWorkers: this.pool?.workers ?? 0,
      verifyWorkerCrashes: this.verifyWorkerCrashes + (this.pool?.crashes ?? 0),
      peers: this.node?.getPeers().length ?? 0,
      topicPeers: this.node?.services.pubsub.getSubscribers(this.ids.recordsTopic).length ?? 0,
    }
  }
}

/**
 * Creates a share node for records of type `R`. Call `start()` to join the network.
 *
 * @example
 * ```ts
 * const node = createShareNode<Sighting>(
 *   { privateKey: await loadOrCreateKey('./birds.key'), namespace: 'birdnet', bootstrap },
 *   {
 *     codec: { encode: (r) => enc.encode(JSON.stringify(r)), decode: (b) => JSON.parse(dec.decode(b)) },
 *     validate: (r) => (r.species.length > 0 ? { ok: true } : { ok: false, reason: 'no species' }),
 *     key: (r) => r.species,
 *     collectedAt: (r) => r.seenAt,
 *     source: mySightingsStore,
 *     sink: { accept: (signed) => mySightingsStore.add(signed) },
 *   },
 * )
 * await node.start()
 * ```
 */
export function createShareNode<R>(init: ShareInit, components: ShareComponents<R>): ShareNode<R> {
  return new DefaultShareNode(init, components)
}
