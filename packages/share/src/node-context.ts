import type { Libp2p } from '@libp2p/interface'
import type { RecordSource, RecordVia, SignedRecord } from './index.ts'
import type { RecordIndex } from './record-index.ts'
import type { ProtocolIds, ResolvedOptions } from './resolve-options.ts'
import type { RecordRules } from './signed-record.ts'
import type { StandingBook } from './standing-book.ts'
import type { TokenBuckets } from './token-bucket.ts'
import type { VerifyPool } from './verify-pool.ts'

/** What the protocol handlers (catch-up, lookup) share with the node. */
export interface NodeContext<R> {
  self: string
  options: ResolvedOptions
  /** Protocol ids and topics of `options.namespace`. */
  ids: ProtocolIds
  rules: RecordRules<R>
  index: RecordIndex
  standing: StandingBook
  requestLimiter: TokenBuckets
  source: RecordSource<R>
  libp2p(): Libp2p
  /** The signature verification workers (started on first use); `undefined`: verify on this thread. */
  verifyPool(): VerifyPool | undefined
  /** Verifies nothing: stores an already verified record and hands it to the sink. */
  accept(signed: SignedRecord<R>, from: string, via: RecordVia): Promise<boolean>
  /** Counts a refused record against the peer that sent it. */
  invalid(from: string, code: string): void
  counters: { requestsServed: number; requestsRefused: number; duplicates: number }
}
