import { describe, expect, it } from 'vitest'
import { formatEventTimestamp, toSentryPeerJson } from '../../src/outputs/index.js'
import { APP_VERSION } from '../../src/version.js'
import { makeEvent } from './helpers.js'

describe('formatEventTimestamp', () => {
  it("uses the C version's UTC format with nanoseconds", () => {
    expect(formatEventTimestamp(Date.UTC(2022, 2, 10, 12, 34, 56, 123))).toBe('2022-03-10 12:34:56.123000000')
    expect(formatEventTimestamp(0)).toBe('1970-01-01 00:00:00.000000000')
    expect(formatEventTimestamp(Date.UTC(2024, 11, 31, 23, 59, 59, 9))).toBe('2024-12-31 23:59:59.009000000')
  })

  it('returns an empty string for a time that is not a date', () => {
    expect(formatEventTimestamp(Number.NaN)).toBe('')
    expect(formatEventTimestamp(Number.POSITIVE_INFINITY)).toBe('')
  })
})

describe('toSentryPeerJson', () => {
  it("maps every field to SentryPeer's names, plus ours", () => {
    const event = makeEvent({ transport: 'tls', collectionMode: 'passive', sourceIp: '2001:db8::1' })
    expect(toSentryPeerJson(event, '3.0.0')).toEqual({
      app_name: 'sentrypeer',
      app_version: '3.0.0',
      event_timestamp: '2022-03-10 12:34:56.123000000',
      event_uuid: event.eventUuid,
      created_by_node_id: 'node-test-1',
      collected_method: 'passive',
      transport_type: 'TLS',
      source_ip: '2001:db8::1',
      destination_ip: '203.0.113.1',
      called_number: '+44 20 7946 0000',
      sip_method: 'INVITE',
      sip_user_agent: 'friendly-scanner',
      sip_message: event.rawMessage,
      source_port: 5062,
      destination_port: 5060,
      called_number_normalized: '442079460000',
      sip_call_id: 'abc@192.0.2.7',
      event_origin: 'local',
    })
  })

  it('upper-cases the transport, fills absent optional fields with empty strings, defaults the version', () => {
    const json = toSentryPeerJson(
      makeEvent({ transport: 'tcp', userAgent: undefined, rawMessage: undefined, callId: undefined }),
    )
    expect(json.transport_type).toBe('TCP')
    expect(json.app_version).toBe(APP_VERSION)
    expect(json.sip_user_agent).toBe('')
    expect(json.sip_message).toBe('')
    expect(json.sip_call_id).toBe('')
    expect(toSentryPeerJson(makeEvent({ transport: 'udp' })).transport_type).toBe('UDP')
  })
})
