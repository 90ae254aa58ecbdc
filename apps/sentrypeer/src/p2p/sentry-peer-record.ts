import type { RecordCodec, ValidationResult } from '@sentrypeer/share'
import { normalizeIp, type SipEventInput } from '@sentrypeer/store'
import {
  MAX_RECORD_METHOD_LENGTH,
  MAX_RECORD_NUMBER_LENGTH,
  MAX_RECORD_USER_AGENT_LENGTH,
  RECORD_VERSION,
} from './constants.js'
import { isPublicIp } from './is-public-ip.js'

/**
 * What one SentryPeer node tells the others about one SIP event. Deliberately NOT shared: the
 * honeypot's own address and port (they reveal the operator's network), the raw SIP message, the
 * Call-ID and the node's local id. The collector is the signing peer id, carried by the envelope.
 */
export interface SentryPeerRecord {
  v: typeof RECORD_VERSION
  eventUuid: string
  eventTime: number
  sourceIp: string
  sourcePort: number
  transport: 'udp' | 'tcp' | 'tls'
  method: string
  calledNumberRaw: string
  calledNumber: string
  /** '' when the message had none. */
  userAgent: string
  collectionMode: 'passive' | 'responsive'
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The record as canonical JSON: fixed key order, no spaces, every field present. */
function canonical(r: SentryPeerRecord): string {
  return JSON.stringify({
    v: r.v,
    eventUuid: r.eventUuid,
    eventTime: r.eventTime,
    sourceIp: r.sourceIp,
    sourcePort: r.sourcePort,
    transport: r.transport,
    method: r.method,
    calledNumberRaw: r.calledNumberRaw,
    calledNumber: r.calledNumber,
    userAgent: r.userAgent,
    collectionMode: r.collectionMode,
  })
}

const KEYS = [
  'v',
  'eventUuid',
  'eventTime',
  'sourceIp',
  'sourcePort',
  'transport',
  'method',
  'calledNumberRaw',
  'calledNumber',
  'userAgent',
  'collectionMode',
] as const

/**
 * Canonical codec of {@link SentryPeerRecord}: UTF-8 JSON with the keys in a fixed order. `decode` throws
 * on anything that is not exactly such an object (the share node refuses it); any other spelling of the
 * same values re-encodes differently and is refused as non-canonical.
 */
export const sentryPeerRecordCodec: RecordCodec<SentryPeerRecord> = {
  encode: (record) => encoder.encode(canonical(record)),
  decode(bytes) {
    const value = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new TypeError('not an object')
    const keys = Object.keys(value)
    if (keys.length !== KEYS.length || KEYS.some((k, i) => keys[i] !== k))
      throw new TypeError('unexpected keys')
    const str = (k: string): string => {
      const v = value[k]
      if (typeof v !== 'string') throw new TypeError(`${k} is not a string`)
      return v
    }
    const num = (k: string): number => {
      const v = value[k]
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new TypeError(`${k} is not an integer`)
      return v
    }
    if (value.v !== RECORD_VERSION) throw new TypeError('unknown record version')
    return {
      v: RECORD_VERSION,
      eventUuid: str('eventUuid'),
      eventTime: num('eventTime'),
      sourceIp: str('sourceIp'),
      sourcePort: num('sourcePort'),
      transport: str('transport') as SentryPeerRecord['transport'],
      method: str('method'),
      calledNumberRaw: str('calledNumberRaw'),
      calledNumber: str('calledNumber'),
      userAgent: str('userAgent'),
      collectionMode: str('collectionMode') as SentryPeerRecord['collectionMode'],
    }
  },
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/
const PRINTABLE = /^[\x20-\x7e]*$/
const NO_CONTROL = /^[^\p{Cc}]*$/u

/** Options of {@link validateSentryPeerRecord}. */
export interface RecordRulesInit {
  /**
   * Also accept records about private, loopback, documentation and other non-public addresses (LAN and
   * test networks only; default false).
   */
  allowNonPublicIps?: boolean
}

/**
 * Checks a record (received or about to be published): canonical public unicast IP, UUID, sane number,
 * method, User-Agent, port and enums. Never throws.
 *
 * @example
 * if (!validateSentryPeerRecord(record).ok) return // not shared
 */
export function validateSentryPeerRecord(
  record: SentryPeerRecord,
  init: RecordRulesInit = {},
): ValidationResult {
  const bad = (reason: string): ValidationResult => ({ ok: false, reason })
  if (!UUID.test(record.eventUuid)) return bad('eventUuid is not a lowercase UUID')
  if (record.eventTime < 0) return bad('eventTime is negative')
  const ip = normalizeIp(record.sourceIp)
  if (ip === undefined || ip.ip !== record.sourceIp) return bad('sourceIp is not an IP in canonical form')
  if (init.allowNonPublicIps !== true && !isPublicIp(record.sourceIp)) {
    return bad('sourceIp is not a public unicast address')
  }
  if (record.sourcePort < 0 || record.sourcePort > 65_535) return bad('sourcePort out of range')
  if (record.transport !== 'udp' && record.transport !== 'tcp' && record.transport !== 'tls') {
    return bad('unknown transport')
  }
  if (record.method.length > MAX_RECORD_METHOD_LENGTH || !TOKEN.test(record.method)) {
    return bad('method is not a SIP token')
  }
  for (const n of [record.calledNumberRaw, record.calledNumber]) {
    if (n.length > MAX_RECORD_NUMBER_LENGTH || !PRINTABLE.test(n)) {
      return bad(`called number must be at most ${MAX_RECORD_NUMBER_LENGTH} printable ASCII characters`)
    }
  }
  if (record.userAgent.length > MAX_RECORD_USER_AGENT_LENGTH || !NO_CONTROL.test(record.userAgent)) {
    return bad(`userAgent must be at most ${MAX_RECORD_USER_AGENT_LENGTH} characters without controls`)
  }
  if (record.collectionMode !== 'passive' && record.collectionMode !== 'responsive') {
    return bad('unknown collection mode')
  }
  return { ok: true }
}

/** The record of a locally collected event (User-Agent cut to the record's limit). */
export function toSentryPeerRecord(event: SipEventInput): SentryPeerRecord {
  const ip = normalizeIp(event.sourceIp)
  return {
    v: RECORD_VERSION,
    eventUuid: event.eventUuid.toLowerCase(),
    eventTime: Math.floor(event.eventTime),
    sourceIp: ip?.ip ?? event.sourceIp,
    sourcePort: event.sourcePort,
    transport: event.transport,
    method: event.method,
    calledNumberRaw: event.calledNumberRaw,
    calledNumber: event.calledNumberNormalized,
    userAgent: (event.userAgent ?? '').slice(0, MAX_RECORD_USER_AGENT_LENGTH),
    collectionMode: event.collectionMode,
  }
}

/** Unspecified honeypot address of events learnt from peers: the record never carries it. */
const UNKNOWN_DESTINATION = '0.0.0.0'

/**
 * The store event of a record received from a peer: `collectorNodeId` is the collector's peer id,
 * `origin` the peer it came from; the signed bytes travel with it so the store can serve them.
 */
export function fromSentryPeerRecord(
  record: SentryPeerRecord,
  signed: { id: string; collector: string; bytes: Uint8Array },
  from: string,
): SipEventInput {
  const event: SipEventInput = {
    eventTime: record.eventTime,
    eventUuid: record.eventUuid,
    sourceIp: record.sourceIp,
    sourcePort: record.sourcePort,
    destinationIp: UNKNOWN_DESTINATION,
    destinationPort: 0,
    transport: record.transport,
    method: record.method,
    calledNumberRaw: record.calledNumberRaw,
    calledNumberNormalized: record.calledNumber,
    collectionMode: record.collectionMode,
    collectorNodeId: signed.collector,
    origin: from,
    signed: { id: signed.id, collector: signed.collector, bytes: signed.bytes },
  }
  if (record.userAgent !== '') event.userAgent = record.userAgent
  return event
}
