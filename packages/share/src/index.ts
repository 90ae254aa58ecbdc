/**
 * @sentrypeer/share: peer-to-peer sharing of signed records over libp2p, with tit-for-tat gating.
 *
 * Generic over the record type: the application supplies a codec, a validator, a key function and a
 * local source/sink; this package supplies the protocol (gossip, catch-up, lookup, standing).
 *
 * @example
 * ```ts
 * import { createShareNode, loadOrCreateKey } from '@sentrypeer/share'
 *
 * const node = createShareNode(
 *   { privateKey: await loadOrCreateKey('./share.key'), listen: ['/ip4/0.0.0.0/tcp/4001'] },
 *   { codec, validate, key: (r) => r.ip, collectedAt: (r) => r.at, source, sink },
 * )
 * await node.start()
 * await node.publish(record)
 * ```
 */
import type { PrivateKey } from '@libp2p/interface'

export type { PrivateKey } from '@libp2p/interface'
export { confirmation } from './confirmation.ts'
export * from './constants.ts'
export {
  InvalidKeyFileError,
  InvalidOptionError,
  InvalidRecordError,
  NotStartedError,
  type RecordError,
  type RecordErrorCode,
  ShareError,
  SharingDisabledError,
  VerifyWorkerError,
} from './errors.ts'
export { loadOrCreateKey } from './load-or-create-key.ts'
export { createShareNode } from './share-node.ts'
export { type OpenResult, openRecord, type RecordRules, signRecord } from './signed-record.ts'
export { ED25519_VERIFIER } from './verify-ed25519.ts'

/** A record as it travels: the application record plus the collector's signed envelope. */
export interface SignedRecord<R> {
  /** Record id: hex of the first 16 bytes of SHA-256 over the signed bytes. */
  id: string
  record: R
  /** The application key (`ShareComponents.key`), e.g. an IP address. */
  key: string
  /** Collection time, ms since the epoch (`ShareComponents.collectedAt`). */
  collectedAt: number
  /** Peer id of the node that collected and signed the record. */
  collector: string
  /** The signed envelope, byte for byte as signed; store these to forward the record later. */
  bytes: Uint8Array
}

/** Turns records into bytes and back. `encode(decode(b))` must give `b` back (canonical encoding). */
export interface RecordCodec<R> {
  encode(record: R): Uint8Array
  /** May throw on bad input; the share node catches and refuses the record. */
  decode(bytes: Uint8Array): R
}

export type ValidationResult = { ok: true } | { ok: false; reason: string }

/** Where the share node reads the records it serves to peers (the application's store). */
export interface RecordSource<R> {
  /** Signed records collected in `[since, until)` (`until` defaults to now + skew). Any order. */
  recordsSince(since: number, until?: number): AsyncIterable<SignedRecord<R>> | Iterable<SignedRecord<R>>
  /** Whether the application already holds this record id. */
  has(id: string): boolean | Promise<boolean>
  /** Optional fast path for lookups: records with this key. Without it lookups scan `recordsSince`. */
  recordsByKey?(key: string): AsyncIterable<SignedRecord<R>> | Iterable<SignedRecord<R>>
}

/** How a record arrived. */
export type RecordVia = 'gossip' | 'catch-up'

/** Where the share node delivers verified records received from peers. */
export interface RecordSink<R> {
  accept(signed: SignedRecord<R>, info: AcceptInfo): void | Promise<void>
}

export interface AcceptInfo {
  /** Peer id the record came from (not necessarily its collector). */
  from: string
  via: RecordVia
  /** Whether the record's key is confirmed (K distinct collectors, or a local record) after this one. */
  confirmed: boolean
}

/** What the application supplies. */
export interface ShareComponents<R> {
  codec: RecordCodec<R>
  /** Application checks (e.g. a public unicast IP, a sane number). Runs on every received record. */
  validate(record: R): ValidationResult
  key(record: R): string
  collectedAt(record: R): number
  source: RecordSource<R>
  sink: RecordSink<R>
  /** Extra aggregate counters to publish when analytics is enabled. Never per-event data. */
  analyticsCounters?(): Record<string, number>
}

export interface ShareInit {
  /** Node identity (Ed25519), e.g. from `loadOrCreateKey(file)`. */
  privateKey: PrivateKey
  /** Protocol namespace; default `DEFAULT_NAMESPACE`. Nodes only talk within one namespace. */
  namespace?: string
  /** Listen multiaddrs; default `DEFAULT_LISTEN`. */
  listen?: string[]
  /** Multiaddrs (with `/p2p/<id>`) dialled on start and re-dialled while disconnected. */
  bootstrap?: string[]
  /** Discover peers on the LAN with mDNS; default false. */
  mdns?: boolean
  /** Take part in sharing; default true. With false nothing is sent, subscribed or requested. */
  share?: boolean
  /** Publish aggregate counters on the analytics topic and receive others'; default false. */
  analytics?: boolean
  /** Keep private and loopback addresses in the DHT (LAN and test networks); default false. */
  allowPrivateAddresses?: boolean
  /** Gossipsub: peers per IP before the colocation penalty applies; default 10 (gossipsub's). */
  ipColocationThreshold?: number
  maxAgeMs?: number
  maxFutureSkewMs?: number
  maxRecordBytes?: number
  maxFrameBytes?: number
  bucketMs?: number
  pageSize?: number
  maxKnownIdsPerBucket?: number
  maxRecordsPerCatchUp?: number
  catchUpIntervalMs?: number
  requestTimeoutMs?: number
  standingWindowMs?: number
  standingMinRecords?: number
  gracePeriodMs?: number
  /** K: distinct collectors needed before a key learnt from peers is confirmed. */
  confirmations?: number
  recordsPerPeerPerSecond?: number
  recordsBurst?: number
  requestsPerPeerPerMinute?: number
  maxLookupRecords?: number
  lookupPeers?: number
  analyticsIntervalMs?: number
  reconnectIntervalMs?: number
  maxTrackedPeers?: number
  /**
   * Worker threads checking catch-up signatures, started on the first catch-up and stopped by `stop()`;
   * default the available parallelism, at most `MAX_VERIFY_WORKERS`. 0: check on the main thread.
   */
  verifyWorkers?: number
  /** Fewest records per verification batch given to one worker; default `DEFAULT_MIN_VERIFY_BATCH`. */
  minVerifyBatch?: number
  /** Tries of a batch whose worker died before the catch-up fails; default `DEFAULT_VERIFY_ATTEMPTS`. */
  verifyAttempts?: number
  /** Catch-up pages being verified while the next are read; default `DEFAULT_CATCH_UP_PAGES_IN_FLIGHT`. */
  catchUpPagesInFlight?: number
}

/** Why a peer does or does not receive from this node. */
export interface PeerStanding {
  peerId: string
  /** `earned`: enough own records in the window; `grace`: new identity; `none`: no standing. */
  status: 'earned' | 'grace' | 'none' | 'self'
  hasStanding: boolean
  reason: string
  ownRecordsInWindow: number
  firstSeen?: number
  lastSeen?: number
  graceEndsAt?: number
  invalidRecords: number
  rateLimited: number
  requestsServed: number
  requestsRefused: number
  /** The peer's current gossipsub score as this node computes it. */
  gossipScore?: number
  /** Whether the peer is in this node's gossip mesh for the records topic (it receives full messages). */
  inMesh?: boolean
}

/** Result of a catch-up exchange with one peer. */
export interface CatchUpResult {
  peer: string
  ok: boolean
  /** Set when the peer refused: its code (`NO_STANDING`, `RATE_LIMITED`, ...) and reason. */
  refused?: { code: string; reason: string }
  error?: string
  bucketsCompared: number
  bucketsFetched: number
  received: number
  accepted: number
  duplicates: number
  invalid: number
}

/** Whether a key is confirmed: K distinct collectors reported it, or this node collected it. */
export interface Confirmation {
  key: string
  confirmed: boolean
  local: boolean
  collectors: string[]
  required: number
}

export interface LookupReport<R> {
  signed: SignedRecord<R>
  /** Peer that answered with it. */
  from: string
}

export interface LookupResult<R> {
  key: string
  reports: LookupReport<R>[]
  /** Distinct collectors among the reports and the local records. */
  collectors: string[]
  confirmed: boolean
  asked: number
  answered: number
  refused: number
}

export interface PublishResult<R> {
  signed: SignedRecord<R>
  /** Peers the gossip message was sent to (0 with `share: false` or no peers). */
  recipients: number
}

export interface ShareStats {
  records: number
  published: number
  receivedGossip: number
  receivedCatchUp: number
  duplicates: number
  invalid: number
  invalidByCode: Record<string, number>
  rateLimited: number
  requestsServed: number
  requestsRefused: number
  catchUps: number
  /** Records the sink threw on (they stay indexed; the application should look at its store). */
  sinkErrors: number
  /** Signature verification worker threads running now. */
  verifyWorkers: number
  /** Verification workers that died and were replaced. */
  verifyWorkerCrashes: number
  /** Connected peers. */
  peers: number
  /** Connected peers subscribed to the records topic. */
  topicPeers: number
}

export interface AnalyticsReport {
  from: string
  at: number
  counters: Record<string, number>
}

export interface ShareEvents<R> {
  record: { signed: SignedRecord<R> } & AcceptInfo
  'catch-up': CatchUpResult
  analytics: AnalyticsReport
}

export interface ShareNode<R> {
  readonly peerId: string
  /** Addresses the node listens on, with `/p2p/<peerId>`. Empty until started. */
  readonly multiaddrs: string[]
  readonly started: boolean
  start(): Promise<void>
  stop(): Promise<void>
  /** Signs a locally collected record, indexes it and publishes it on the gossip topic. */
  publish(record: R): Promise<PublishResult<R>>
  /** Runs a catch-up exchange with `peer` (a peer id), or with every connected peer. */
  catchUp(peer?: string): Promise<CatchUpResult[]>
  /** Asks the network (DHT closest peers and connected peers) for signed reports of `key`. */
  lookup(key: string): Promise<LookupResult<R>>
  /** K-of-N confirmation of a key from the records this node knows. */
  confirmation(key: string): Confirmation
  /** Standing of every peer this node knows, and why. */
  standing(): PeerStanding[]
  standingOf(peerId: string): PeerStanding
  /** Dials a multiaddr. */
  connect(multiaddr: string): Promise<void>
  /** Connected peer ids. */
  peers(): string[]
  stats(): ShareStats
  on<E extends keyof ShareEvents<R>>(event: E, listener: (detail: ShareEvents<R>[E]) => void): () => void
}
