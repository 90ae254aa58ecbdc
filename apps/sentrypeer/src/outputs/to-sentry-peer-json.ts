import { APP_NAME, APP_VERSION } from '../version.js'
import type { HoneypotEvent } from './honeypot-event.js'

/**
 * An event with SentryPeer's (C) JSON log field names, plus the fields this implementation adds
 * (`source_port`, `destination_port`, `called_number_normalized`, `sip_call_id`, `event_origin`).
 */
export interface SentryPeerJson {
  app_name: string
  app_version: string
  /** UTC, `YYYY-MM-DD HH:MM:SS.nnnnnnnnn` as the C version (nanoseconds; ours has millisecond precision). */
  event_timestamp: string
  event_uuid: string
  created_by_node_id: string
  collected_method: 'passive' | 'responsive'
  transport_type: 'UDP' | 'TCP' | 'TLS'
  source_ip: string
  destination_ip: string
  called_number: string
  sip_method: string
  sip_user_agent: string
  sip_message: string
  source_port: number
  destination_port: number
  called_number_normalized: string
  sip_call_id: string
  event_origin: string
}

/**
 * Formats a millisecond epoch as SentryPeer's `event_timestamp`: UTC `2022-03-10 12:34:56.123000000`.
 * Returns an empty string for a time that is not a finite date.
 */
export function formatEventTimestamp(eventTime: number): string {
  const date = new Date(eventTime)
  if (!Number.isFinite(date.getTime())) return ''
  const iso = date.toISOString() // 2022-03-10T12:34:56.123Z (or ±YYYYYY- outside 0000-9999)
  const t = iso.indexOf('T')
  return `${iso.slice(0, t)} ${iso.slice(t + 1, t + 13)}000000`
}

/**
 * Maps an event to SentryPeer's JSON log fields (the field names of the C version, so existing consumers
 * keep working) plus ours.
 *
 * @example
 * ```ts
 * const json = toSentryPeerJson(event) // app_version defaults to this package's version
 * json.transport_type // 'UDP'
 * json.event_timestamp // '2022-03-10 12:34:56.123000000'
 * ```
 */
export function toSentryPeerJson(event: HoneypotEvent, appVersion: string = APP_VERSION): SentryPeerJson {
  return {
    app_name: APP_NAME,
    app_version: appVersion,
    event_timestamp: formatEventTimestamp(event.eventTime),
    event_uuid: event.eventUuid,
    created_by_node_id: event.collectorNodeId,
    collected_method: event.collectionMode,
    transport_type: event.transport === 'udp' ? 'UDP' : event.transport === 'tcp' ? 'TCP' : 'TLS',
    source_ip: event.sourceIp,
    destination_ip: event.destinationIp,
    called_number: event.calledNumberRaw,
    sip_method: event.method,
    sip_user_agent: event.userAgent ?? '',
    sip_message: event.rawMessage ?? '',
    source_port: event.sourcePort,
    destination_port: event.destinationPort,
    called_number_normalized: event.calledNumberNormalized,
    sip_call_id: event.callId ?? '',
    event_origin: event.origin,
  }
}
