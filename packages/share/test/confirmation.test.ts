import { describe, expect, it } from 'vitest'
import { confirmation, DEFAULT_CONFIRMATIONS } from '../src/index.ts'

describe('confirmation', () => {
  it('needs K distinct collectors, counting repeats once', () => {
    expect(DEFAULT_CONFIRMATIONS).toBe(2)
    expect(confirmation('k', ['a', 'a', 'a']).confirmed).toBe(false)
    expect(confirmation('k', ['a', 'b']).confirmed).toBe(true)
    expect(confirmation('k', ['a', 'b'], { k: 3 }).confirmed).toBe(false)
    expect(confirmation('k', ['a', 'b', 'c'], { k: 3 })).toMatchObject({ confirmed: true, required: 3 })
  })

  it('always counts a local record', () => {
    expect(confirmation('k', ['me'], { self: 'me', k: 5 })).toMatchObject({ confirmed: true, local: true })
    expect(confirmation('k', [], { self: 'me' }).confirmed).toBe(false)
  })
})
