import { availableParallelism } from 'node:os'
import * as C from './constants.ts'
import { InvalidOptionError } from './errors.ts'
import type { ShareInit } from './index.ts'

export type ResolvedOptions = Required<Omit<ShareInit, 'privateKey'>>

function positive(name: string, value: number, integer = true): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new InvalidOptionError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`)
  }
  return value
}

/** Fills defaults from constants.ts and checks ranges. Throws `InvalidOptionError`. */
export function resolveOptions(init: ShareInit): ResolvedOptions {
  const o: ResolvedOptions = {
    namespace: init.namespace ?? C.DEFAULT_NAMESPACE,
    listen: init.listen ?? C.DEFAULT_LISTEN,
    bootstrap: init.bootstrap ?? [],
    mdns: init.mdns ?? false,
    share: init.share ?? true,
    analytics: init.analytics ?? false,
    allowPrivateAddresses: init.allowPrivateAddresses ?? false,
    ipColocationThreshold: positive('ipColocationThreshold', init.ipColocationThreshold ?? 10),
    maxAgeMs: positive('maxAgeMs', init.maxAgeMs ?? C.DEFAULT_MAX_AGE_MS),
    maxFutureSkewMs: init.maxFutureSkewMs ?? C.DEFAULT_MAX_FUTURE_SKEW_MS,
    maxRecordBytes: positive('maxRecordBytes', init.maxRecordBytes ?? C.DEFAULT_MAX_RECORD_BYTES),
    maxFrameBytes: positive('maxFrameBytes', init.maxFrameBytes ?? C.DEFAULT_MAX_FRAME_BYTES),
    bucketMs: positive('bucketMs', init.bucketMs ?? C.DEFAULT_BUCKET_MS),
    pageSize: positive('pageSize', init.pageSize ?? C.DEFAULT_PAGE_SIZE),
    maxKnownIdsPerBucket: positive(
      'maxKnownIdsPerBucket',
      init.maxKnownIdsPerBucket ?? C.DEFAULT_MAX_KNOWN_IDS_PER_BUCKET,
    ),
    maxRecordsPerCatchUp: positive(
      'maxRecordsPerCatchUp',
      init.maxRecordsPerCatchUp ?? C.DEFAULT_MAX_RECORDS_PER_CATCH_UP,
    ),
    catchUpIntervalMs: positive(
      'catchUpIntervalMs',
      init.catchUpIntervalMs ?? C.DEFAULT_CATCH_UP_INTERVAL_MS,
    ),
    requestTimeoutMs: positive('requestTimeoutMs', init.requestTimeoutMs ?? C.DEFAULT_REQUEST_TIMEOUT_MS),
    standingWindowMs: positive('standingWindowMs', init.standingWindowMs ?? C.DEFAULT_STANDING_WINDOW_MS),
    standingMinRecords: init.standingMinRecords ?? C.DEFAULT_STANDING_MIN_RECORDS,
    gracePeriodMs: init.gracePeriodMs ?? C.DEFAULT_GRACE_PERIOD_MS,
    confirmations: positive('confirmations', init.confirmations ?? C.DEFAULT_CONFIRMATIONS),
    recordsPerPeerPerSecond: positive(
      'recordsPerPeerPerSecond',
      init.recordsPerPeerPerSecond ?? C.DEFAULT_RECORDS_PER_PEER_PER_SECOND,
      false,
    ),
    recordsBurst: positive('recordsBurst', init.recordsBurst ?? C.DEFAULT_RECORDS_BURST),
    requestsPerPeerPerMinute: positive(
      'requestsPerPeerPerMinute',
      init.requestsPerPeerPerMinute ?? C.DEFAULT_REQUESTS_PER_PEER_PER_MINUTE,
    ),
    maxLookupRecords: positive('maxLookupRecords', init.maxLookupRecords ?? C.DEFAULT_MAX_LOOKUP_RECORDS),
    lookupPeers: positive('lookupPeers', init.lookupPeers ?? C.DEFAULT_LOOKUP_PEERS),
    analyticsIntervalMs: positive(
      'analyticsIntervalMs',
      init.analyticsIntervalMs ?? C.DEFAULT_ANALYTICS_INTERVAL_MS,
    ),
    reconnectIntervalMs: positive(
      'reconnectIntervalMs',
      init.reconnectIntervalMs ?? C.DEFAULT_RECONNECT_INTERVAL_MS,
    ),
    maxTrackedPeers: positive('maxTrackedPeers', init.maxTrackedPeers ?? C.DEFAULT_MAX_TRACKED_PEERS),
    verifyWorkers: init.verifyWorkers ?? Math.min(availableParallelism(), C.MAX_VERIFY_WORKERS),
    minVerifyBatch: positive('minVerifyBatch', init.minVerifyBatch ?? C.DEFAULT_MIN_VERIFY_BATCH),
    verifyAttempts: positive('verifyAttempts', init.verifyAttempts ?? C.DEFAULT_VERIFY_ATTEMPTS),
    catchUpPagesInFlight: positive(
      'catchUpPagesInFlight',
      init.catchUpPagesInFlight ?? C.DEFAULT_CATCH_UP_PAGES_IN_FLIGHT,
    ),
  }
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(o.namespace)) {
    throw new InvalidOptionError(`namespace must match [a-z0-9][a-z0-9._-]{0,63}, got ${o.namespace}`)
  }
  if (o.maxFutureSkewMs < 0) throw new InvalidOptionError('maxFutureSkewMs must be >= 0')
  if (o.standingMinRecords < 0 || !Number.isInteger(o.standingMinRecords)) {
    throw new InvalidOptionError('standingMinRecords must be an integer >= 0')
  }
  if (o.gracePeriodMs < 0) throw new InvalidOptionError('gracePeriodMs must be >= 0')
  if (!Number.isInteger(o.verifyWorkers) || o.verifyWorkers < 0 || o.verifyWorkers > C.MAX_VERIFY_WORKERS) {
    throw new InvalidOptionError(`verifyWorkers must be an integer from 0 to ${C.MAX_VERIFY_WORKERS}`)
  }
  return o
}

/** Protocol ids and topics of a namespace. */
export interface ProtocolIds {
  catchUp: string
  lookup: string
  kad: string
  recordsTopic: string
  analyticsTopic: string
}

/** Protocol ids and topics of a namespace (docs/p2p.md). */
export function protocolIds(namespace: string): ProtocolIds {
  return {
    catchUp: `/${namespace}/share/catch-up/1.0.0`,
    lookup: `/${namespace}/share/lookup/1.0.0`,
    kad: `/${namespace}/kad/1.0.0`,
    recordsTopic: `/${namespace}/share/records/1.0.0`,
    analyticsTopic: `/${namespace}/share/analytics/1.0.0`,
  }
}
