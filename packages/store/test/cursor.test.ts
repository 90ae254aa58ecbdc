import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from '../src/cursor.js'

describe('cursor', () => {
  it('round-trips keyset positions', () => {
    const cursor = encodeCursor([1_700_000_000_000, '2001:db8::1'])
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor(cursor, ['number', 'string'])).toEqual([1_700_000_000_000, '2001:db8::1'])
  })

  it.each([
    '',
    '!!!',
    'x'.repeat(2000),
    Buffer.from('not json').toString('base64url'),
    Buffer.from('{"a":1}').toString('base64url'),
    encodeCursor([1]),
    encodeCursor(['1', 'a']),
    Buffer.from('[1e999,"a"]').toString('base64url'),
  ])('rejects %j', (text) => {
    expect(decodeCursor(text, ['number', 'string'])).toBeUndefined()
  })
})
