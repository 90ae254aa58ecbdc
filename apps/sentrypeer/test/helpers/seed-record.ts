import type { SipEventInput } from '@sentrypeer/store'
import type { SentryPeerRecord } from '../../src/p2p/sentry-peer-record.js'

/**
 * Sighting `i` of a seed node's history, as a SentryPeer record (to sign) and the store event that
 * holds it (add the signed envelope as `signed`): attacker 45.x.y.z (a public address, so peers accept
 * it), one of 5,000 called numbers. Type imports only, so benchmarks can load it with Node's type
 * stripping alone.
 */
export function seedRecord(
  i: number,
  eventTime: number,
  eventUuid: string,
): { record: SentryPeerRecord; event: SipEventInput } {
  const number = `${1000 + (i % 5000)}`
  const record: SentryPeerRecord = {
    v: 1,
    eventUuid,
    eventTime,
    sourceIp: `45.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}`,
    sourcePort: 5060,
    transport: 'udp',
    method: 'INVITE',
    calledNumberRaw: number,
    calledNumber: number,
    userAgent: 'friendly-scanner',
    collectionMode: 'passive',
  }
  const event: SipEventInput = {
    eventTime,
    eventUuid,
    sourceIp: record.sourceIp,
    sourcePort: record.sourcePort,
    destinationIp: '45.78.0.1',
    destinationPort: 5060,
    transport: record.transport,
    method: record.method,
    calledNumberRaw: number,
    calledNumberNormalized: number,
    userAgent: record.userAgent,
    collectionMode: record.collectionMode,
    collectorNodeId: 'seed',
    origin: 'local',
  }
  return { record, event }
}
