import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_AGE_MS,
  MAX_CALL_ID_LENGTH,
  MAX_USER_AGENT_LENGTH,
  type SipEventInput,
  truncateUtf8,
  validateEvent,
} from '../src/index.js'
import { makeEvent } from './helpers.js'

const NOW = Date.UTC(2026, 0, 1)

describe('validateEvent', () => {
  it('accepts a realistic event, normalising IPs and computing the expiry', () => {
    const input = makeEvent({
      eventTime: NOW - 1000,
      sourceIp: '::FFFF:203.0.113.7',
      destinationIp: '2001:DB8::1',
    })
    const result = validateEvent(input, { now: NOW })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.sourceIp).toBe('203.0.113.7')
    expect(result.value.sourceFamily).toBe(4)
    expect(result.value.destinationIp).toBe('2001:db8::1')
    expect(result.value.destinationFamily).toBe(6)
    expect(result.value.expiresAt).toBe(NOW - 1000 + DEFAULT_MAX_AGE_MS)
    expect(result.value.truncated).toBe(false)
  })

  it.each([
    ['eventTime', Number.NaN, 'INVALID_TIME'],
    ['eventTime', -1, 'INVALID_TIME'],
    ['eventTime', '2026-01-01', 'INVALID_TIME'],
    ['eventTime', NOW + 3_600_000, 'TIME_IN_FUTURE'],
    ['eventUuid', '', 'INVALID_UUID'],
    ['eventUuid', 'has space', 'INVALID_UUID'],
    ['eventUuid', 'x'.repeat(65), 'INVALID_UUID'],
    ['sourceIp', 'not-an-ip', 'INVALID_IP'],
    ['sourceIp', 7, 'INVALID_IP'],
    ['destinationIp', '300.1.1.1', 'INVALID_IP'],
    ['sourcePort', 65_536, 'INVALID_PORT'],
    ['sourcePort', 1.5, 'INVALID_PORT'],
    ['destinationPort', -1, 'INVALID_PORT'],
    ['transport', 'sctp', 'INVALID_TRANSPORT'],
    ['transport', 'UDP', 'INVALID_TRANSPORT'],
    ['method', '', 'INVALID_METHOD'],
    ['method', 'IN VITE', 'INVALID_METHOD'],
    ['method', 'A'.repeat(33), 'INVALID_METHOD'],
    ['calledNumberRaw', 'x'.repeat(257), 'INVALID_NUMBER'],
    ['calledNumberNormalized', null, 'INVALID_NUMBER'],
    ['userAgent', 42, 'INVALID_STRING'],
    ['callId', {}, 'INVALID_STRING'],
    ['rawMessage', 1, 'INVALID_STRING'],
    ['collectionMode', 'active', 'INVALID_COLLECTION_MODE'],
    ['collectorNodeId', '', 'INVALID_NODE_ID'],
    ['origin', 'peer id with spaces', 'INVALID_ORIGIN'],
  ] as const)('rejects %s = %j with %s', (field, value, code) => {
    const input = { ...makeEvent({ eventTime: NOW }), [field]: value } as unknown as SipEventInput
    const result = validateEvent(input, { now: NOW })
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe(code)
    expect(result.error.field).toBe(field)
  })

  it('rejects non-objects without throwing', () => {
    for (const value of [null, undefined, 1, 'event']) {
      const result = validateEvent(value as unknown as SipEventInput)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.code).toBe('NOT_AN_OBJECT')
    }
  })

  it('truncates free text to the limits and flags it', () => {
    const result = validateEvent(
      makeEvent({
        eventTime: NOW,
        userAgent: 'u'.repeat(MAX_USER_AGENT_LENGTH + 10),
        callId: 'c'.repeat(MAX_CALL_ID_LENGTH + 1),
        rawMessage: `INVITE ${'€'.repeat(100)}`,
      }),
      { now: NOW, rawMessageMaxBytes: 20 },
    )
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.userAgent).toHaveLength(MAX_USER_AGENT_LENGTH)
    expect(result.value.callId).toHaveLength(MAX_CALL_ID_LENGTH)
    // 'INVITE ' is 7 bytes, each '€' 3 bytes: 4 of them fit in 20 bytes, the 5th would be split.
    expect(result.value.rawMessage).toBe(`INVITE ${'€'.repeat(4)}`)
    expect(result.value.truncated).toBe(true)
  })
})

describe('truncateUtf8', () => {
  it('never splits a character and never exceeds the byte limit', () => {
    const text = 'a€😀b'.repeat(20)
    for (let max = 0; max < 200; max++) {
      const cut = truncateUtf8(text, max)
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(max)
      expect(text.startsWith(cut)).toBe(true)
    }
  })
})
