import type { ApiEvent } from '@sentrypeer/client'
import type { ApiStoredEvent } from './api-store.js'
import { formatTimestamp } from './format-timestamp.js'

/** Maps a store event (or a freshly recorded event) to the API's JSON shape. */
export function toApiEvent(e: ApiStoredEvent): ApiEvent {
  const out: ApiEvent = {
    event_uuid: e.eventUuid,
    event_timestamp: formatTimestamp(e.eventTime),
    source_ip: e.sourceIp,
    source_port: e.sourcePort,
    destination_ip: e.destinationIp,
    destination_port: e.destinationPort,
    transport: e.transport,
    method: e.method,
    called_number: e.calledNumberNormalized,
    called_number_raw: e.calledNumberRaw,
    collection_mode: e.collectionMode,
    collector_node_id: e.collectorNodeId,
    origin: e.origin,
  }
  if (e.userAgent !== undefined) out.user_agent = e.userAgent
  if (e.callId !== undefined) out.call_id = e.callId
  return out
}
