import {
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_RAW_MESSAGE_MAX_BYTES,
  MAX_CALL_ID_LENGTH,
  MAX_EVENT_UUID_LENGTH,
  MAX_METHOD_LENGTH,
  MAX_NODE_ID_LENGTH,
  MAX_NUMBER_LENGTH,
  MAX_SIGNED_RECORD_BYTES,
  MAX_USER_AGENT_LENGTH,
} from './constants.js'
import type { EventErrorCode } from './errors.js'
import { normalizeIp } from './normalize-ip.js'
import type { EventResult, SipEventInput, ValidEvent } from './store.js'

/** Options of {@link validateEvent}; the store passes its own limits. */
export interface ValidateEventOptions {
  now?: number
  maxAgeMs?: number
  maxFutureSkewMs?: number
  rawMessageMaxBytes?: number
}

/** RFC 3261 §25.1 token characters. */
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/
/** Printable ASCII without spaces: UUIDs, node ids, peer ids. */
const ID = /^[\x21-\x7e]+$/

function fail(code: EventErrorCode, field: string, message: string, offset = 0): EventResult {
  return { ok: false, error: { code, field, offset, message } }
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65_535
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes) return text
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length <= maxBytes) return text
  let end = maxBytes
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--
  return bytes.subarray(0, end).toString('utf8')
}

/**
 * Checks an event from outside (the packet path, a peer, an import) by hand, cheaply: IPs are
 * normalised, ports and enums checked, identifiers bounded, free text (User-Agent, Call-ID, raw message)
 * truncated to the limits. Never throws.
 *
 * @example
 * ```ts
 * const result = validateEvent(input)
 * if (!result.ok) console.warn(result.error.code, result.error.field)
 * ```
 */
export function validateEvent(input: SipEventInput, options: ValidateEventOptions = {}): EventResult {
  if (typeof input !== 'object' || input === null) return fail('NOT_AN_OBJECT', '', 'event is not an object')
  const now = options.now ?? Date.now()
  const e = input as Partial<Record<keyof SipEventInput, unknown>>
  const time = e.eventTime
  if (typeof time !== 'number' || !Number.isFinite(time) || time < 0) {
    return fail('INVALID_TIME', 'eventTime', 'eventTime must be a non-negative number of ms')
  }
  if (time > now + (options.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS)) {
    return fail('TIME_IN_FUTURE', 'eventTime', 'eventTime is too far in the future')
  }
  const uuid = e.eventUuid
  if (typeof uuid !== 'string' || uuid.length > MAX_EVENT_UUID_LENGTH || !ID.test(uuid)) {
    return fail(
      'INVALID_UUID',
      'eventUuid',
      `eventUuid must be 1..${MAX_EVENT_UUID_LENGTH} printable ASCII characters`,
    )
  }
  const source = typeof e.sourceIp === 'string' ? normalizeIp(e.sourceIp) : undefined
  if (source === undefined) return fail('INVALID_IP', 'sourceIp', 'sourceIp is not an IP address')
  const destination = typeof e.destinationIp === 'string' ? normalizeIp(e.destinationIp) : undefined
  if (destination === undefined) {
    return fail('INVALID_IP', 'destinationIp', 'destinationIp is not an IP address')
  }
  if (!isPort(e.sourcePort)) return fail('INVALID_PORT', 'sourcePort', 'sourcePort must be 0..65535')
  if (!isPort(e.destinationPort)) {
    return fail('INVALID_PORT', 'destinationPort', 'destinationPort must be 0..65535')
  }
  const transport = e.transport
  if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls') {
    return fail('INVALID_TRANSPORT', 'transport', "transport must be 'udp', 'tcp' or 'tls'")
  }
  const method = e.method
  if (typeof method !== 'string' || method.length > MAX_METHOD_LENGTH || !TOKEN.test(method)) {
    return fail(
      'INVALID_METHOD',
      'method',
      `method must be a SIP token of 1..${MAX_METHOD_LENGTH} characters`,
    )
  }
  const raw = e.calledNumberRaw
  if (typeof raw !== 'string' || raw.length > MAX_NUMBER_LENGTH) {
    return fail(
      'INVALID_NUMBER',
      'calledNumberRaw',
      `calledNumberRaw must be a string of at most ${MAX_NUMBER_LENGTH} characters`,
    )
  }
  const normalized = e.calledNumberNormalized
  if (typeof normalized !== 'string' || normalized.length > MAX_NUMBER_LENGTH) {
    return fail(
      'INVALID_NUMBER',
      'calledNumberNormalized',
      `calledNumberNormalized must be a string of at most ${MAX_NUMBER_LENGTH} characters`,
    )
  }
  const mode = e.collectionMode
  if (mode !== 'passive' && mode !== 'responsive') {
    return fail(
      'INVALID_COLLECTION_MODE',
      'collectionMode',
      "collectionMode must be 'passive' or 'responsive'",
    )
  }
  const collector = e.collectorNodeId
  if (typeof collector !== 'string' || collector.length > MAX_NODE_ID_LENGTH || !ID.test(collector)) {
    return fail(
      'INVALID_NODE_ID',
      'collectorNodeId',
      `collectorNodeId must be 1..${MAX_NODE_ID_LENGTH} printable ASCII characters`,
    )
  }
  const origin = e.origin
  if (typeof origin !== 'string' || origin.length > MAX_NODE_ID_LENGTH || !ID.test(origin)) {
    return fail(
      'INVALID_ORIGIN',
      'origin',
      `origin must be 'local' or a peer id (1..${MAX_NODE_ID_LENGTH} printable ASCII)`,
    )
  }
  let signed: ValidEvent['signed']
  if (e.signed !== undefined && e.signed !== null) {
    const s = e.signed as Partial<Record<string, unknown>>
    if (
      typeof s !== 'object' ||
      typeof s.id !== 'string' ||
      !/^[0-9a-f]{8,128}$/.test(s.id) ||
      typeof s.collector !== 'string' ||
      s.collector.length > MAX_NODE_ID_LENGTH ||
      !ID.test(s.collector) ||
      !(s.bytes instanceof Uint8Array) ||
      s.bytes.length === 0 ||
      s.bytes.length > MAX_SIGNED_RECORD_BYTES
    ) {
      return fail(
        'INVALID_SIGNED_RECORD',
        'signed',
        `signed must be { id: hex, collector: 1..${MAX_NODE_ID_LENGTH} printable ASCII, bytes: 1..${MAX_SIGNED_RECORD_BYTES} bytes }`,
      )
    }
    signed = { id: s.id, collector: s.collector, bytes: s.bytes }
  }
  let truncated = false
  let userAgent: string | undefined
  if (e.userAgent !== undefined && e.userAgent !== null) {
    if (typeof e.userAgent !== 'string')
      return fail('INVALID_STRING', 'userAgent', 'userAgent must be a string')
    userAgent = e.userAgent
    if (userAgent.length > MAX_USER_AGENT_LENGTH) {
      userAgent = userAgent.slice(0, MAX_USER_AGENT_LENGTH)
      truncated = true
    }
  }
  let callId: string | undefined
  if (e.callId !== undefined && e.callId !== null) {
    if (typeof e.callId !== 'string') return fail('INVALID_STRING', 'callId', 'callId must be a string')
    callId = e.callId
    if (callId.length > MAX_CALL_ID_LENGTH) {
      callId = callId.slice(0, MAX_CALL_ID_LENGTH)
      truncated = true
    }
  }
  let rawMessage: string | undefined
  if (e.rawMessage !== undefined && e.rawMessage !== null) {
    if (typeof e.rawMessage !== 'string') {
      return fail('INVALID_STRING', 'rawMessage', 'rawMessage must be a string')
    }
    rawMessage = truncateUtf8(e.rawMessage, options.rawMessageMaxBytes ?? DEFAULT_RAW_MESSAGE_MAX_BYTES)
    if (rawMessage.length !== e.rawMessage.length) truncated = true
  }
  const value: ValidEvent = {
    eventTime: Math.floor(time),
    eventUuid: uuid,
    sourceIp: source.ip,
    sourcePort: e.sourcePort,
    destinationIp: destination.ip,
    destinationPort: e.destinationPort,
    transport,
    method,
    calledNumberRaw: raw,
    calledNumberNormalized: normalized,
    userAgent,
    callId,
    rawMessage,
    collectionMode: mode,
    collectorNodeId: collector,
    origin,
    sourceFamily: source.family,
    destinationFamily: destination.family,
    expiresAt: Math.floor(time) + (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS),
    truncated,
  }
  if (signed !== undefined) value.signed = signed
  return { ok: true, value }
}
