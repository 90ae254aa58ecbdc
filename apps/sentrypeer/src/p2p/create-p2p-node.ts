import {
  type AnalyticsReport,
  createShareNode,
  loadOrCreateKey,
  type PeerStanding,
  type ShareInit,
  type ShareNode,
  type SignedRecord,
} from '@sentrypeer/share'
import { normalizeIp, type SipEventInput, type Store, type StoredSignedRecord } from '@sentrypeer/store'
import type { Logger } from 'pino'
import {
  DEFAULT_CONFIRMATIONS,
  MAX_ANALYTICS_NODES,
  MAX_NETWORK_REPORTS,
  MAX_PENDING_PUBLISHES,
  P2P_NAMESPACE,
  P2P_STORE_QUEUE_SHARE,
  STORE_DRAIN_WAITS,
} from './constants.js'
import { envelopePayload } from './envelope-payload.js'
import { CorruptRecordError, P2pError, P2pStartError, RecordNotStoredError } from './errors.js'
import {
  fromSentryPeerRecord,
  type SentryPeerRecord,
  sentryPeerRecordCodec,
  toSentryPeerRecord,
  validateSentryPeerRecord,
} from './sentry-peer-record.js'

/** Share-protocol tunables the daemon passes through (tests shorten the periods). */
export type P2pTuning = Partial<
  Pick<
    ShareInit,
    | 'gracePeriodMs'
    | 'catchUpIntervalMs'
    | 'analyticsIntervalMs'
    | 'reconnectIntervalMs'
    | 'requestTimeoutMs'
    | 'requestsPerPeerPerMinute'
    | 'standingWindowMs'
    | 'recordsPerPeerPerSecond'
    | 'recordsBurst'
    | 'ipColocationThreshold'
    | 'pageSize'
  >
>

/** Options of {@link createP2pNode}. */
export interface P2pInit {
  /** Ed25519 identity file, created (mode 0600) on first run. */
  keyFile: string
  /** libp2p listen multiaddrs. */
  listen: string[]
  /** Bootstrap multiaddrs (with `/p2p/<peer id>`). */
  bootstrap?: string[]
  mdns?: boolean
  /** Share records (default true). Off: nothing is sent or received (tit-for-tat). */
  share?: boolean
  /** Publish aggregate counters and collect the network's (default false). */
  analytics?: boolean
  /** K distinct collectors for an IP learnt from peers (default {@link DEFAULT_CONFIRMATIONS}). */
  confirmations?: number
  /** Record retention (ms), the store's. */
  maxAgeMs?: number
  /**
   * Share records about non-public addresses and keep private addresses in the DHT (LAN and test
   * networks only; default false).
   */
  allowNonPublicIps?: boolean
  tuning?: P2pTuning
}

/** What the P2P node uses from the daemon. */
export interface P2pComponents {
  store: Store
  logger: Logger
}

/** A peer's standing as the API shows it. */
export interface P2pPeerView extends PeerStanding {
  connected: boolean
}

/** This node's P2P view for `GET /peers`. */
export interface P2pPeersView {
  peerId: string
  sharing: boolean
  analytics: boolean
  confirmations: number
  listen: string[]
  peersConnected: number
  records: number
  published: number
  received: number
  rejected: number
  rejectedByCode: Record<string, number>
  peers: P2pPeerView[]
}

/** One verified report of an IP from the network. */
export interface P2pReport {
  recordId: string
  collector: string
  from: string
  record: SentryPeerRecord
}

/** Answer of a network look-up of one IP. */
export interface P2pLookup {
  ip: string
  confirmed: boolean
  collectors: string[]
  required: number
  asked: number
  answered: number
  refused: number
  reports: P2pReport[]
}

/** The network's aggregate counters (opt-in analytics). */
export interface P2pNetworkStats {
  analytics: boolean
  nodes: Array<{ peerId: string; at: number; counters: Record<string, number> }>
  totals: Record<string, number>
}

/** The daemon's P2P node. */
export interface P2pNode {
  readonly peerId: string
  readonly multiaddrs: string[]
  readonly sharing: boolean
  readonly confirmations: number
  start(): Promise<void>
  stop(): Promise<void>
  /** Signs and publishes a locally collected event if it is shareable; never throws, never waits. */
  publishEvent(event: SipEventInput): void
  peers(): P2pPeersView
  lookupIp(ip: string): Promise<P2pLookup>
  networkStats(): P2pNetworkStats
  /** Figures for `/metrics`. */
  status(): { peers: number; recordsSent: number; recordsReceived: number; recordsRejected: number }
}

/** Counters of local events by method, for the opt-in analytics (aggregates only): the top ones sent. */
const TOP_METHODS = 10
/** Distinct method spellings counted (methods are the attacker's text); later new ones are not counted. */
const MAX_COUNTED_METHODS = 64

function storedToSigned(r: StoredSignedRecord): SignedRecord<SentryPeerRecord> {
  let decoded: SentryPeerRecord | undefined
  return {
    id: r.id,
    key: r.ip,
    collectedAt: r.collectedAt,
    collector: r.collector,
    bytes: r.bytes,
    get record(): SentryPeerRecord {
      if (decoded === undefined) {
        const payload = envelopePayload(r.bytes)
        if (payload === undefined) throw new CorruptRecordError(r.id)
        decoded = sentryPeerRecordCodec.decode(payload)
      }
      return decoded
    },
  }
}

/**
 * Creates the daemon's P2P node: a `@sentrypeer/share` node whose records are SentryPeer sightings,
 * backed by the daemon's store (received records are stored with their signed bytes, and served from
 * there on catch-up and look-ups).
 *
 * @example
 * ```ts
 * const p2p = await createP2pNode(
 *   { keyFile: '/var/lib/sentrypeer/sentrypeer-p2p.key', listen: ['/ip4/0.0.0.0/tcp/4222'] },
 *   { store, logger },
 * )
 * await p2p.start()
 * p2p.publishEvent(event) // from the SIP path
 * ```
 */
export async function createP2pNode(init: P2pInit, components: P2pComponents): Promise<P2pNode> {
  const { store, logger } = components
  const share = init.share ?? true
  const analytics = init.analytics ?? false
  const confirmations = init.confirmations ?? DEFAULT_CONFIRMATIONS
  const rulesInit = { allowNonPublicIps: init.allowNonPublicIps ?? false }
  let privateKey: Awaited<ReturnType<typeof loadOrCreateKey>>
  try {
    privateKey = await loadOrCreateKey(init.keyFile)
  } catch (err) {
    throw new P2pStartError(`cannot load the P2P key ${init.keyFile}: ${(err as Error).message}`, {
      cause: err,
    })
  }
  const methodCounts = new Map<string, number>()
  let localEvents = 0
  let pending = 0
  const reports = new Map<string, AnalyticsReport>()

  const node: ShareNode<SentryPeerRecord> = createShareNode<SentryPeerRecord>(
    {
      ...init.tuning,
      privateKey,
      namespace: P2P_NAMESPACE,
      listen: init.listen,
      bootstrap: init.bootstrap ?? [],
      mdns: init.mdns ?? false,
      share,
      analytics,
      confirmations,
      allowPrivateAddresses: rulesInit.allowNonPublicIps,
      ...(init.maxAgeMs !== undefined ? { maxAgeMs: init.maxAgeMs } : {}),
    },
    {
      codec: sentryPeerRecordCodec,
      validate: (record) => validateSentryPeerRecord(record, rulesInit),
      key: (record) => record.sourceIp,
      collectedAt: (record) => record.eventTime,
      source: {
        recordsSince: function* (since, until) {
          for (const r of store.signedRecordsSince(since, until)) yield storedToSigned(r)
        },
        has: (id) => store.hasSignedRecord(id),
        recordsByKey: (key) => store.signedRecordsByIp(key).map(storedToSigned),
      },
      sink: {
        async accept(signed, { from }) {
          const event = fromSentryPeerRecord(signed.record, signed, from)
          // Back-pressure: wait for the writer rather than have the record refused (it would be fetched
          // again only at the next catch-up round); SIP events keep the other part of the queue.
          const limit = Math.floor(store.maxQueue * P2P_STORE_QUEUE_SHARE)
          for (let tries = 0; store.stats().queueDepth >= limit && tries < STORE_DRAIN_WAITS; tries++) {
            await store.flush()
          }
          if (!store.record(event)) throw new RecordNotStoredError(signed.id)
        },
      },
      analyticsCounters: () => {
        const counters: Record<string, number> = { local_events: localEvents }
        const day = 86_400_000
        const now = Date.now()
        const buckets = store.countsPerBucket({
          bucketMs: day,
          since: now - day,
          until: now + 1,
          origin: 'local',
        })
        if (buckets.ok) counters.events_last_day = buckets.value.reduce((sum, b) => sum + b.count, 0)
        const top = [...methodCounts].sort((a, b) => b[1] - a[1]).slice(0, TOP_METHODS)
        for (const [method, count] of top) counters[`method_${method}`] = count
        return counters
      },
    },
  )
  // Debug lines (-d): when each record arrived and from where; bench/p2p measures propagation with them.
  node.on('record', (e) => {
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        {
          record: e.signed.id,
          collector: e.signed.collector,
          from: e.from,
          via: e.via,
          eventTime: e.signed.collectedAt,
        },
        'p2p record received',
      )
    }
  })
  node.on('analytics', (report) => {
    reports.delete(report.from)
    reports.set(report.from, report)
    if (reports.size > MAX_ANALYTICS_NODES) {
      const oldest = reports.keys().next().value
      if (oldest !== undefined) reports.delete(oldest)
    }
  })

  return {
    get peerId() {
      return node.peerId
    },
    get multiaddrs() {
      return node.multiaddrs
    },
    sharing: share,
    confirmations,
    async start() {
      try {
        await node.start()
      } catch (err) {
        throw new P2pStartError(`cannot start the P2P node: ${(err as Error).message}`, { cause: err })
      }
    },
    stop: () => node.stop(),
    publishEvent(event) {
      localEvents++
      if (methodCounts.has(event.method) || methodCounts.size < MAX_COUNTED_METHODS) {
        methodCounts.set(event.method, (methodCounts.get(event.method) ?? 0) + 1)
      }
      if (!share || !node.started) return
      const record = toSentryPeerRecord(event)
      // Not shareable (a private address, an odd number): recorded locally only.
      if (!validateSentryPeerRecord(record, rulesInit).ok) return
      // Signing cannot keep up (a flood): the event stays local; catch-up never carries it either.
      if (pending >= MAX_PENDING_PUBLISHES) return
      pending++
      node.publish(record).then(
        ({ signed }) => {
          pending--
          store.record({
            ...event,
            signed: { id: signed.id, collector: signed.collector, bytes: signed.bytes },
          })
        },
        (err: Error) => {
          pending--
          logger.warn({ err, eventUuid: event.eventUuid }, 'could not publish a record')
        },
      )
    },
    peers() {
      const connected = new Set(node.peers())
      const stats = node.stats()
      const standings = node.standing()
      const known = new Set(standings.map((s) => s.peerId))
      for (const id of connected) if (!known.has(id)) standings.push(node.standingOf(id))
      return {
        peerId: node.peerId,
        sharing: share,
        analytics,
        confirmations,
        listen: node.multiaddrs,
        peersConnected: connected.size,
        records: stats.records,
        published: stats.published,
        received: stats.receivedGossip + stats.receivedCatchUp,
        rejected: stats.invalid,
        rejectedByCode: { ...stats.invalidByCode },
        peers: standings.map((s) => ({ ...s, connected: connected.has(s.peerId) })),
      }
    },
    async lookupIp(ip) {
      // Tit-for-tat: a node that shares nothing asks nothing.
      if (!share) throw new P2pError('SHARING_DISABLED', 'this node does not share (--no-share): no look-ups')
      const normalized = normalizeIp(ip)
      const key = normalized?.ip ?? ip
      const result = await node.lookup(key)
      return {
        ip: key,
        confirmed: result.confirmed,
        collectors: result.collectors,
        required: confirmations,
        asked: result.asked,
        answered: result.answered,
        refused: result.refused,
        reports: result.reports.slice(0, MAX_NETWORK_REPORTS).map((r) => ({
          recordId: r.signed.id,
          collector: r.signed.collector,
          from: r.from,
          record: r.signed.record,
        })),
      }
    },
    networkStats() {
      const nodes = [...reports.values()].map((r) => ({ peerId: r.from, at: r.at, counters: r.counters }))
      const totals: Record<string, number> = {}
      for (const n of nodes) {
        for (const [k, v] of Object.entries(n.counters)) totals[k] = (totals[k] ?? 0) + v
      }
      return { analytics, nodes, totals }
    },
    status() {
      const s = node.stats()
      return {
        peers: s.peers,
        recordsSent: s.published,
        recordsReceived: s.receivedGossip + s.receivedCatchUp,
        recordsRejected: s.invalid,
      }
    },
  }
}
