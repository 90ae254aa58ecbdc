import { describe, expect, it } from 'vitest'
import { formatSentryPeerTimestamp, parseSentryPeerTimestamp } from '../src/index.js'

describe('SentryPeer timestamps', () => {
  it('parses the C SentryPeer format (UTC, nanoseconds)', () => {
    expect(parseSentryPeerTimestamp('2022-03-10 12:34:56.123456789')).toBe(
      Date.UTC(2022, 2, 10, 12, 34, 56, 123),
    )
    expect(parseSentryPeerTimestamp('2022-03-10 12:34:56')).toBe(Date.UTC(2022, 2, 10, 12, 34, 56))
    expect(parseSentryPeerTimestamp('2022-03-10T12:34:56.5Z')).toBe(Date.UTC(2022, 2, 10, 12, 34, 56, 500))
  })

  it.each([
    '',
    '2022-02-30 00:00:00',
    '2022-03-10 24:00:00',
    '2022-03-10',
    'yesterday',
    '2022-03-10 12:34:56.1234567890',
  ])('rejects %j', (text) => {
    expect(parseSentryPeerTimestamp(text)).toBeUndefined()
  })

  it('formats what it parses', () => {
    const time = Date.UTC(2026, 10, 21, 9, 8, 7, 6)
    expect(formatSentryPeerTimestamp(time)).toBe('2026-11-21 09:08:07.006000000')
    expect(parseSentryPeerTimestamp(formatSentryPeerTimestamp(time))).toBe(time)
  })
})
