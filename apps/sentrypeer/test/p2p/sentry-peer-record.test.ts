import type { SipEventInput } from '@sentrypeer/store'
import { describe, expect, it } from 'vitest'
import {
  fromSentryPeerRecord,
  MAX_RECORD_NUMBER_LENGTH,
  type SentryPeerRecord,
  sentryPeerRecordCodec,
  toSentryPeerRecord,
  validateSentryPeerRecord,
} from '../../src/p2p/index.js'

const event: SipEventInput = {
  eventTime: 1_795_000_000_123,
  eventUuid: '0b7c2a4e-7f0e-4d7e-9a51-2f3b9c1d0e11',
  sourceIp: '45.77.0.2',
  sourcePort: 5070,
  destinationIp: '192.0.2.1',
  destinationPort: 5060,
  transport: 'udp',
  method: 'INVITE',
  calledNumberRaw: '+44 20 7946 0000',
  calledNumberNormalized: '+442079460000',
  userAgent: 'friendly-scanner',
  callId: 'secret-call-id@192.0.2.1',
  rawMessage: 'INVITE sip:+442079460000@192.0.2.1 SIP/2.0\r\n\r\n',
  collectionMode: 'responsive',
  collectorNodeId: 'node-local',
  origin: 'local',
}

const encoder = new TextEncoder()

describe('SentryPeer record', () => {
  it('shares the sighting but not the honeypot address, the raw message, the Call-ID or the node id', () => {
    const record = toSentryPeerRecord(event)
    const text = new TextDecoder().decode(sentryPeerRecordCodec.encode(record))
    expect(text).toBe(
      '{"v":1,"eventUuid":"0b7c2a4e-7f0e-4d7e-9a51-2f3b9c1d0e11","eventTime":1795000000123,' +
        '"sourceIp":"45.77.0.2","sourcePort":5070,"transport":"udp","method":"INVITE",' +
        '"calledNumberRaw":"+44 20 7946 0000","calledNumber":"+442079460000",' +
        '"userAgent":"friendly-scanner","collectionMode":"responsive"}',
    )
    for (const secret of ['192.0.2.1', 'secret-call-id', 'node-local', 'SIP/2.0'])
      expect(text).not.toContain(secret)
    expect(validateSentryPeerRecord(record)).toEqual({ ok: true })
  })

  it('round-trips canonically and refuses any other spelling', () => {
    const bytes = sentryPeerRecordCodec.encode(toSentryPeerRecord(event))
    const decoded = sentryPeerRecordCodec.decode(bytes)
    expect(sentryPeerRecordCodec.encode(decoded)).toEqual(bytes)
    const text = new TextDecoder().decode(bytes)
    const reordered = JSON.stringify({ eventUuid: event.eventUuid, ...JSON.parse(text) })
    const bad = [
      reordered,
      'junk',
      '[]',
      'null',
      text.replace('"v":1', '"v":2'),
      text.replace('"sourcePort":5070', '"sourcePort":"5070"'),
      text.replace('"eventTime":1795000000123', '"eventTime":1.5'),
      text.replace('}', ',"extra":1}'),
      text.replace(',"collectionMode":"responsive"', ''),
    ]
    for (const b of bad) expect(() => sentryPeerRecordCodec.decode(encoder.encode(b)), b).toThrow()
    expect(() => sentryPeerRecordCodec.decode(new Uint8Array([0xff, 0xfe]))).toThrow()
    // whitespace decodes, but re-encodes to other bytes: the share node refuses it as NON_CANONICAL
    const spaced = encoder.encode(text.replace('{', '{ '))
    expect(sentryPeerRecordCodec.encode(sentryPeerRecordCodec.decode(spaced))).not.toEqual(spaced)
  })

  it('refuses records about non-public addresses unless allowed, and insane fields', () => {
    const base = toSentryPeerRecord(event)
    const refuse = (patch: Partial<SentryPeerRecord>): void => {
      expect(validateSentryPeerRecord({ ...base, ...patch }).ok, JSON.stringify(patch)).toBe(false)
    }
    refuse({ sourceIp: '192.168.1.10' })
    refuse({ sourceIp: '127.0.0.1' })
    refuse({ sourceIp: '100.64.1.1' })
    refuse({ sourceIp: '203.0.113.5' })
    refuse({ sourceIp: '045.077.0.2' })
    refuse({ sourceIp: '2A01:4F8::1' })
    refuse({ eventUuid: 'not-a-uuid' })
    refuse({ eventTime: -1 })
    refuse({ sourcePort: 70_000 })
    refuse({ method: 'IN VITE' })
    refuse({ method: 'X'.repeat(33) })
    refuse({ calledNumber: '1'.repeat(MAX_RECORD_NUMBER_LENGTH + 1) })
    refuse({ calledNumberRaw: 'line\r\nbreak' })
    refuse({ userAgent: 'bell\u0007' })
    refuse({ transport: 'sctp' as 'udp' })
    refuse({ collectionMode: 'active' as 'passive' })
    expect(
      validateSentryPeerRecord({ ...base, sourceIp: '192.168.1.10' }, { allowNonPublicIps: true }),
    ).toEqual({
      ok: true,
    })
  })

  it('turns a received record into a store event with the collector and the relaying peer', () => {
    const record = toSentryPeerRecord(event)
    const signed = { id: 'ab'.repeat(16), collector: '12D3KooWCollector', bytes: new Uint8Array([1, 2, 3]) }
    const stored = fromSentryPeerRecord(record, signed, '12D3KooWRelay')
    expect(stored).toMatchObject({
      sourceIp: '45.77.0.2',
      destinationIp: '0.0.0.0',
      destinationPort: 0,
      calledNumberNormalized: '+442079460000',
      collectorNodeId: '12D3KooWCollector',
      origin: '12D3KooWRelay',
      signed,
    })
    expect(stored.rawMessage).toBeUndefined()
    expect(fromSentryPeerRecord({ ...record, userAgent: '' }, signed, 'p').userAgent).toBeUndefined()
  })
})
